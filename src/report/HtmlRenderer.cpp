#include "HtmlRenderer.h"

#include <algorithm>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

constexpr const char* kStyle = R"(body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 2em; color: #1f2328; }
h1 { font-size: 1.5em; margin-bottom: 0.5em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.5em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
td:not(:last-child) { white-space: nowrap; }
thead th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.header th { background: none; font-weight: 600; }
.warning { background: #fff1e5; border-left: 4px solid #bc4c00; padding: 0.5em 0.8em; font-weight: 600; }
.empty { color: #59636e; font-style: italic; }
svg.chart text { font-size: 13px; fill: #1f2328; }
)";

// One colour per class, in the order of kAllClasses.
constexpr const char* kColours[kClassCount] = {"#2da44e", "#cf222e", "#bc4c00", "#0969da",
                                               "#8c959f", "#8250df", "#6e5849"};

std::string svgChart(const Summary& s) {
  constexpr int kLabelWidth = 100, kBarWidth = 380, kRow = 24, kBar = 16, kWidth = 560;
  const int height = static_cast<int>(kClassCount) * kRow + 8;
  std::int64_t largest = 1;
  for (TaskClass c : kAllClasses) largest = std::max(largest, s.totals.of(c));
  std::string out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) +
                    "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"Tasks by class\">\n"
                    "<title>Tasks by class</title>\n";
  int y = 4;
  for (std::size_t i = 0; i < kClassCount; ++i) {
    const std::int64_t n = s.totals.of(kAllClasses[i]);
    // A class with any task keeps a visible sliver, however large the others are.
    const std::int64_t w = n == 0 ? 0 : std::max<std::int64_t>(2, n * kBarWidth / largest);
    const std::string text_y = std::to_string(y + 13);
    out += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + text_y + "\" text-anchor=\"end\">" +
           std::string(label(kAllClasses[i])) + "</text>";
    out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(w) + "\" height=\"" + std::to_string(kBar) + "\" fill=\"" + kColours[i] + "\"/>";
    out += "<text x=\"" + std::to_string(kLabelWidth + w + 6) + "\" y=\"" + text_y + "\">" + std::to_string(n) +
           "</text>\n";
    y += kRow;
  }
  return out + "</svg>\n";
}

void writeTable(std::string& out, const Table& t) {
  const auto cell = [&](const char* tag, std::size_t i, const std::string& v) {
    out += std::string("<") + tag + (t.numeric[i] ? " class=\"num\">" : ">") + escapeHtml(v) + "</" + tag + ">";
  };
  out += "<table>\n<thead><tr>";
  for (std::size_t i = 0; i < t.header.size(); ++i) cell("th", i, t.header[i]);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) cell("td", i, row[i]);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace

std::string renderHtml(const Summary& s) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>taskledger report, " + escapeHtml(showTime(s.window.since, s.utc)) + " to " +
         escapeHtml(showTime(s.window.until, s.utc)) + "</title>\n";
  out += std::string("<style>\n") + kStyle + "</style>\n</head>\n<body>\n<h1>taskledger report</h1>\n";
  out += "<table class=\"header\">\n";
  for (const auto& [label, value] : headerFields(s)) {
    out += "<tr><th>" + escapeHtml(label) + "</th><td>" + escapeHtml(value) + "</td></tr>\n";
  }
  out += "</table>\n";
  for (const auto& w : warnings(s)) out += "<p class=\"warning\">Warning: " + escapeHtml(w) + "</p>\n";
  for (const Section& sec : sections(s)) {
    out += "<section id=\"" + sec.id + "\">\n<h2>" + escapeHtml(sec.title) + "</h2>\n";
    if (sec.id == "totals") out += svgChart(s);
    if (sec.table.rows.empty()) {
      out += "<p class=\"empty\">" + escapeHtml(sec.empty_note) + "</p>\n";
    } else {
      writeTable(out, sec.table);
    }
    out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace taskledger::report
