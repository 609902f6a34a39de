#include "MarkdownRenderer.h"

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

void writeRow(std::string& out, const std::vector<std::string>& cells) {
  out += "|";
  for (const auto& c : cells) out += " " + escapeMarkdown(c) + " |";
  out += "\n";
}

void writeTable(std::string& out, const Table& t) {
  writeRow(out, t.header);
  out += "|";
  for (bool numeric : t.numeric) out += numeric ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : t.rows) writeRow(out, row);
}

}  // namespace

std::string renderMarkdown(const Summary& s) {
  std::string out = "# taskledger report\n\n";
  for (const auto& [label, value] : headerFields(s)) {
    out += "- **" + label + ":** " + escapeMarkdown(value) + "\n";
  }
  if (quiet(s)) {
    out += "\n**" + escapeMarkdown(quietLine(s)) + "**\n";
  } else {
    out += "\n## Needs attention\n\n";
    for (const HeadlineItem& item : headline(s)) {
      out += "- **" + std::to_string(item.count) + " " + item.label + "**";
      if (item.previous) out += ", " + escapeMarkdown(showChange(item.count, *item.previous));
      out += "\n";
    }
  }
  if (const std::string p = headlineNote(s); !p.empty()) out += "\n*" + escapeMarkdown(p) + "*\n";
  for (const auto& w : warnings(s)) out += "\n> **Warning:** " + escapeMarkdown(w) + "\n";
  for (const Section& sec : sections(s)) {
    out += "\n## " + sec.title + "\n\n";
    if (!sec.note.empty() && !sec.table.rows.empty()) out += "*" + escapeMarkdown(sec.note) + "*\n\n";
    if (sec.table.rows.empty()) {
      out += sec.empty_note + "\n";
    } else {
      writeTable(out, sec.table);
    }
  }
  return out;
}

}  // namespace taskledger::report
