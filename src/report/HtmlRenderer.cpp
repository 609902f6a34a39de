#include "HtmlRenderer.h"

#include <algorithm>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

// Tables scroll inside their own box, never the page. Ids, times and counts stay on one line;
// prose columns (messages) wrap, with a minimum width so that a message is never squeezed into
// a column of single words (the rows stay at most three lines high for messages of the length
// Tencent writes).
constexpr const char* kStyle = R"(body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 1.5em auto; padding: 0 1.5em; max-width: 90em; color: #1f2328; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.5em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.875em; }
th, td { padding: 0.25em 0.5em; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top;
         white-space: nowrap; }
td.prose { white-space: normal; min-width: 24em; max-width: 44em; overflow-wrap: anywhere; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f6f8fa; }
table.header th { background: none; font-weight: 600; }
table.header td { white-space: normal; overflow-wrap: anywhere; }
.warning { background: #fff1e5; border-left: 4px solid #bc4c00; padding: 0.5em 0.8em; font-weight: 600; }
.empty, .note { color: #59636e; font-style: italic; margin: 0.3em 0 0.5em; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 0.4em 0 0.6em; }
svg.chart.wide { min-width: 36em; }
svg.chart text { font-size: 13px; fill: #1f2328; }
svg.chart .axis { font-size: 11px; fill: #59636e; }
svg.chart line { stroke: #d0d7de; }
details summary { cursor: pointer; color: #0969da; margin: 0.3em 0; }
@media (max-width: 40em) { body { padding: 0 0.75em; margin: 0.75em auto; } th, td { padding: 0.25em 0.4em; } }
)";

constexpr const char* kSubmittedColour = "#0969da";
constexpr const char* kResolvedColour = "#2da44e";
constexpr const char* kFailedColour = "#cf222e";
// One colour per class, in the order of kAllClasses.
constexpr const char* kColours[kClassCount] = {kResolvedColour, kFailedColour, "#bc4c00", kSubmittedColour,
                                               "#8c959f",       "#8250df",     "#6e5849"};

std::string num(std::int64_t n) { return std::to_string(n); }

std::string svgOpen(int width, int height, const std::string& title, const char* cls = "chart") {
  return std::string("<svg class=\"") + cls + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
         num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" role=\"img\" aria-label=\"" +
         title + "\">\n<title>" + title + "</title>\n";
}

std::string rect(std::int64_t x, std::int64_t y, std::int64_t w, std::int64_t h, const char* fill,
                 const std::string& tip = "") {
  std::string out = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
                    "\" fill=\"" + fill + "\"";
  if (tip.empty()) return out + "/>";
  return out + "><title>" + escapeHtml(tip) + "</title></rect>";
}

std::string text(std::int64_t x, std::int64_t y, const std::string& s, const char* extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + extra + ">" + escapeHtml(s) + "</text>";
}

std::string totalsChart(const Summary& s) {
  constexpr int kLabelWidth = 100, kBarWidth = 260, kRow = 24, kBar = 16, kWidth = 420;
  const int height = static_cast<int>(kClassCount) * kRow + 8;
  std::int64_t largest = 1;
  for (TaskClass c : kAllClasses) largest = std::max(largest, s.totals.of(c));
  std::string out = svgOpen(kWidth, height, "Tasks by class");
  int y = 4;
  for (std::size_t i = 0; i < kClassCount; ++i) {
    const std::int64_t n = s.totals.of(kAllClasses[i]);
    // A class with any task keeps a visible sliver, however large the others are.
    const std::int64_t w = n == 0 ? 0 : std::max<std::int64_t>(2, n * kBarWidth / largest);
    out += text(kLabelWidth - 8, y + 13, std::string(label(kAllClasses[i])), " text-anchor=\"end\"");
    out += rect(kLabelWidth, y, w, kBar, kColours[i]);
    out += text(kLabelWidth + w + 6, y + 13, num(n)) + "\n";
    y += kRow;
  }
  return out + "</svg>\n";
}

// Per slice, two bars: submitted, and resolved with its failed part in red at the bottom.
// Every bar carries a <title>: the browser shows the exact numbers on hover, without a script.
std::string overTimeChart(const Summary& s) {
  constexpr int kLeft = 44, kTop = 28, kPlot = 160, kSlot = 30, kBar = 11, kRight = 8, kBottom = 24;
  const auto n = static_cast<int>(s.over_time.size());
  const int width = kLeft + n * kSlot + kRight, height = kTop + kPlot + kBottom;
  std::int64_t largest = 1;
  for (const TimeBucket& b : s.over_time) largest = std::max({largest, b.submitted, b.resolved});
  const auto scaled = [&](std::int64_t v) { return v * kPlot / largest; };
  // Shrunk to a phone's width the labels would be unreadable: below 36em it scrolls in its box.
  std::string out = "<div class=\"scroll\">" +
                    svgOpen(width, height, "Tasks submitted and resolved over the window", "chart wide");
  // Legend.
  int lx = kLeft;
  for (const auto& [colour, name] : {std::pair{kSubmittedColour, "submitted"}, std::pair{kResolvedColour, "resolved"},
                                      std::pair{kFailedColour, "failed"}}) {
    out += rect(lx, 6, 12, 12, colour) + text(lx + 16, 16, name);
    lx += 100;
  }
  out += "\n";
  // Gridlines at 0, half and the largest count.
  for (std::int64_t v : {std::int64_t{0}, largest / 2, largest}) {
    if (v == largest / 2 && (v == 0 || v == largest)) continue;  // no line drawn twice
    const std::int64_t y = kTop + kPlot - scaled(v);
    out += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(width - kRight) + "\" y1=\"" + num(y) + "\" y2=\"" +
           num(y) + "\"/>" + text(kLeft - 6, y + 4, num(v), " class=\"axis\" text-anchor=\"end\"") + "\n";
  }
  // A label every few slices so that they never collide.
  const int every = n <= 12 ? 1 : n <= 24 ? 3 : 6;
  for (int i = 0; i < n; ++i) {
    const TimeBucket& b = s.over_time[static_cast<std::size_t>(i)];
    const int x = kLeft + i * kSlot + 3;
    const std::string when = showSliceStart(b.from, s);
    const std::int64_t sub = scaled(b.submitted), res = scaled(b.resolved), fail = scaled(b.failed);
    const std::int64_t base = kTop + kPlot;
    if (b.submitted > 0) {
      out += rect(x, base - std::max<std::int64_t>(sub, 1), kBar, std::max<std::int64_t>(sub, 1), kSubmittedColour,
                  when + ": " + num(b.submitted) + " submitted");
    }
    if (b.resolved > 0) {
      out += rect(x + kBar + 1, base - std::max<std::int64_t>(res, 1), kBar, std::max<std::int64_t>(res, 1),
                  kResolvedColour, when + ": " + num(b.resolved) + " resolved, " + num(b.failed) + " failed");
    }
    if (b.failed > 0) {
      // However few, a failure stays visible.
      const std::int64_t h = std::max<std::int64_t>(fail, 2);
      out += rect(x + kBar + 1, base - h, kBar, h, kFailedColour, when + ": " + num(b.failed) + " failed");
    }
    if (i % every == 0) out += text(x, base + 16, when, " class=\"axis\"");
    out += "\n";
  }
  return out + "</svg></div>\n";
}

void writeTable(std::string& out, const Table& t) {
  const auto cell = [&](const char* tag, std::size_t i, const std::string& v) {
    const bool prose = i < t.prose.size() && t.prose[i] && tag[1] == 'd';
    const char* cls = t.numeric[i] ? " class=\"num\"" : prose ? " class=\"prose\"" : "";
    out += std::string("<") + tag + cls + ">" + escapeHtml(v) + "</" + tag + ">";
  };
  out += "<div class=\"scroll\"><table>\n<thead><tr>";
  for (std::size_t i = 0; i < t.header.size(); ++i) cell("th", i, t.header[i]);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) cell("td", i, row[i]);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
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
    if (!sec.note.empty() && !sec.table.rows.empty()) out += "<p class=\"note\">" + escapeHtml(sec.note) + "</p>\n";
    if (sec.id == "totals") out += totalsChart(s);
    if (sec.table.rows.empty()) {
      out += "<p class=\"empty\">" + escapeHtml(sec.empty_note) + "</p>\n";
    } else if (sec.id == "over-time") {
      // The chart says it at a glance; the exact numbers are one click away.
      out += overTimeChart(s) + "<details><summary>The numbers</summary>\n";
      writeTable(out, sec.table);
      out += "</details>\n";
    } else {
      writeTable(out, sec.table);
    }
    out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace taskledger::report
