#include "TextRenderer.h"

#include <algorithm>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

constexpr const char* kIndent = "  ";
constexpr const char* kGap = "  ";

// Columns are counted in code points, so UTF-8 names line up (East Asian wide characters will
// not quite: a terminal's width table is not worth carrying here).
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

void writeTable(std::string& out, const Table& t) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(t.header);
  for (const auto& row : t.rows) {
    std::vector<std::string> r;
    for (const auto& v : row) r.push_back(printable(v));
    cells.push_back(std::move(r));
  }
  std::vector<std::size_t> widths(t.header.size(), 0);
  for (const auto& row : cells) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  for (const auto& row : cells) {
    std::string line = kIndent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string pad(widths[i] - width(row[i]), ' ');
      if (i > 0) line += kGap;
      line += t.numeric[i] ? pad + row[i] : row[i] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
}

}  // namespace

std::string renderText(const Summary& s) {
  std::string out = "taskledger report\n";
  const auto fields = headerFields(s);
  std::size_t label_width = 0;
  for (const auto& [label, value] : fields) label_width = std::max(label_width, label.size());
  for (const auto& [label, value] : fields) {
    out += kIndent + label + std::string(label_width - label.size(), ' ') + kGap + printable(value) + "\n";
  }
  const auto warned = warnings(s);
  if (!warned.empty()) out += "\n";
  for (const auto& w : warned) out += "WARNING: " + printable(w) + "\n";
  for (const Section& sec : sections(s)) {
    out += "\n" + sec.title + "\n";
    if (!sec.note.empty() && !sec.table.rows.empty()) out += kIndent + ("(" + sec.note + ")\n");
    if (sec.table.rows.empty()) {
      out += kIndent + sec.empty_note + "\n";
    } else {
      writeTable(out, sec.table);
    }
  }
  return out;
}

}  // namespace taskledger::report
