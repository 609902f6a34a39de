#include "TextRenderer.h"

#include <algorithm>
#include <numeric>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

constexpr const char* kIndent = "  ";
constexpr std::size_t kIndentWidth = 2;
constexpr std::size_t kGapWidth = 2;
// Narrower than this a message column is a column of single words: better a block per row.
constexpr std::size_t kMinProse = 24;

// Columns are counted in code points, so UTF-8 names line up (East Asian wide characters will
// not quite: a terminal's width table is not worth carrying here).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

// The byte offset after `n` code points of s.
std::size_t bytesOf(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (; i < s.size() && n > 0; --n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
  }
  return i;
}

// Words packed into lines of at most `room` code points (0: one line); a word longer than a line
// is cut, since an id or a URL has nowhere else to go.
std::vector<std::string> wrap(std::string_view text, std::size_t room) {
  if (room == 0) return {std::string(text)};
  std::vector<std::string> lines(1);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    i = end;
    while (!word.empty()) {
      std::string& line = lines.back();
      const std::size_t used = width(line), need = width(word) + (line.empty() ? 0 : 1);
      if (used + need <= room) {
        line += (line.empty() ? "" : " ") + std::string(word);
        break;
      }
      if (!line.empty()) {
        lines.emplace_back();
        continue;
      }
      const std::size_t cut = bytesOf(word, room);
      line = std::string(word.substr(0, cut));
      word.remove_prefix(cut);
      lines.emplace_back();
    }
  }
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  return lines;
}

// `first` then `text` wrapped to `total` columns, later lines under the text's start.
std::string hanging(const std::string& first, const std::string& text, std::size_t total) {
  const std::size_t lead = width(first);
  const auto lines = wrap(text, total > lead + 8 ? total - lead : 0);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = (i == 0 ? first : std::string(lead, ' ')) + lines[i];
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

using Cells = std::vector<std::vector<std::string>>;

std::vector<std::size_t> naturalWidths(const Cells& cells) {
  std::vector<std::size_t> widths(cells.front().size(), 0);
  for (const auto& row : cells) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  return widths;
}

void writeAligned(std::string& out, const Table& t, const Cells& cells, std::vector<std::size_t> widths,
                  std::size_t prose_room) {
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (prose_room && t.prose[i]) widths[i] = std::min(widths[i], prose_room);
  }
  for (std::size_t r = 0; r < cells.size(); ++r) {
    const auto& row = cells[r];
    std::vector<std::vector<std::string>> wrapped;
    std::size_t height = 1;
    for (std::size_t i = 0; i < row.size(); ++i) {
      wrapped.push_back(r > 0 && t.prose[i] ? wrap(row[i], prose_room) : std::vector<std::string>{row[i]});
      height = std::max(height, wrapped.back().size());
    }
    for (std::size_t l = 0; l < height; ++l) {
      std::string line = kIndent;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string v = l < wrapped[i].size() ? wrapped[i][l] : "";
        std::string pad(widths[i] - std::min(widths[i], width(v)), ' ');
        if (i > 0) line += std::string(kGapWidth, ' ');
        line += t.numeric[i] ? pad + v : v + pad;
      }
      line.erase(line.find_last_not_of(' ') + 1);
      out += line + "\n";
    }
  }
}

// A row per block: its first cell with the first prose cell (what the row is about), then
// "name value" items packed into lines, other prose on lines of its own.
void writeBlocks(std::string& out, const Table& t, const Cells& cells, std::size_t total) {
  const std::string sub = std::string(kIndentWidth + 2, ' ');
  const auto first_prose = std::find(t.prose.begin(), t.prose.end(), true) - t.prose.begin();
  for (std::size_t r = 1; r < cells.size(); ++r) {
    const auto& row = cells[r];
    const bool titled = static_cast<std::size_t>(first_prose) < row.size() && !row[first_prose].empty();
    out += titled ? hanging(kIndent + row[0] + "  ", row[first_prose], total) : hanging(kIndent, row[0], total);
    std::string line;
    const auto flush = [&] {
      if (!line.empty()) out += sub + line + "\n";
      line.clear();
    };
    for (std::size_t i = 1; i < row.size(); ++i) {
      if (row[i].empty() || (titled && i == static_cast<std::size_t>(first_prose))) continue;
      const std::string item = t.header[i] + " " + row[i];
      if (t.prose[i] || width(sub) + width(item) > total) {
        flush();
        out += hanging(sub + t.header[i] + " ", row[i], total);
      } else if (width(sub) + width(line) + 2 + width(item) > total) {
        flush();
        line = item;
      } else {
        line += (line.empty() ? "" : "  ") + item;
      }
    }
    flush();
  }
}

void writeTable(std::string& out, const Table& t, std::size_t total) {
  Cells cells;
  cells.push_back(t.header);
  for (const auto& row : t.rows) {
    std::vector<std::string> r;
    for (const auto& v : row) r.push_back(printable(v));
    cells.push_back(std::move(r));
  }
  const auto widths = naturalWidths(cells);
  const std::size_t natural =
      kIndentWidth + std::accumulate(widths.begin(), widths.end(), std::size_t{0}) + kGapWidth * (widths.size() - 1);
  if (total == 0 || natural <= total) return writeAligned(out, t, cells, widths, 0);
  std::size_t fixed = natural, prose = 0;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (t.prose[i]) {
      fixed -= widths[i];
      ++prose;
    }
  }
  const std::size_t room = prose && total > fixed ? (total - fixed) / prose : 0;
  if (room >= kMinProse) return writeAligned(out, t, cells, widths, room);
  writeBlocks(out, t, cells, total);
}

void writeHeadline(std::string& out, const Summary& s, std::size_t total) {
  if (quiet(s)) {
    out += "\n" + hanging("", quietLine(s), total);
  } else {
    out += "\nNeeds attention\n";
    Table t{{"", "", ""}, {false, true, false}, {false, false, false}, {false, false, false}, {}};
    for (const HeadlineItem& item : headline(s)) {
      t.rows.push_back({item.label, std::to_string(item.count),
                        item.previous ? showChange(item.count, *item.previous) : ""});
    }
    std::string table;
    writeTable(table, t, total);
    out += table.substr(table.find('\n') + 1);  // the header row is blank
  }
  if (const std::string p = headlineNote(s); !p.empty()) out += hanging(kIndent, "(" + p + ")", total);
}

}  // namespace

std::string renderText(const Summary& s, int columns) {
  const std::size_t total = columns > 0 ? static_cast<std::size_t>(columns) : 0;
  std::string out = "taskledger report\n";
  const auto fields = headerFields(s);
  std::size_t label_width = 0;
  for (const auto& [label, value] : fields) label_width = std::max(label_width, label.size());
  for (const auto& [label, value] : fields) {
    out += hanging(kIndent + label + std::string(label_width - label.size() + kGapWidth, ' '), printable(value), total);
  }
  writeHeadline(out, s, total);
  const auto warned = warnings(s);
  if (!warned.empty()) out += "\n";
  for (const auto& w : warned) out += hanging("WARNING: ", printable(w), total);
  for (const Section& sec : sections(s)) {
    out += "\n" + sec.title + "\n";
    if (!sec.note.empty() && !sec.table.rows.empty()) out += hanging(kIndent, "(" + sec.note + ")", total);
    if (sec.table.rows.empty()) {
      out += hanging(kIndent, sec.empty_note, total);
    } else {
      writeTable(out, sec.table, total);
    }
  }
  return out;
}

}  // namespace taskledger::report
