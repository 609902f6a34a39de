#include "HtmlRenderer.h"

#include <algorithm>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

// The first screen, at a desktop's 1280x900 and a phone's 390x844, is the headline: tiles of what
// needs a person, each linking to its section. Tables scroll inside their own box, never the
// page; in a task table ids, times and counts stay on one line, messages are clamped to two lines
// (whole on hover, or on a tap that focuses them), and ids show their tail (the whole id is the
// cell's text: one click selects it, a copy takes it whole). The charts are HTML boxes, not a
// scaled SVG, so their text is body text at any width.
constexpr const char* kStyle = R"(body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 1em auto; padding: 0 1.5em; max-width: 90em; color: #1f2328; line-height: 1.4; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; }
.sub { color: #59636e; margin: 0 0 0.8em; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(7em, 1fr)); gap: 0.5em; margin: 0 0 0.8em; }
.tile { display: block; padding: 0.4em 0.7em; border-radius: 6px; border: 1px solid #d0d7de; border-left-width: 6px;
        color: inherit; text-decoration: none; background: #f6f8fa; }
.tile b { display: block; font-size: 1.6em; line-height: 1.2; font-variant-numeric: tabular-nums; }
.tile small { display: block; color: #59636e; }
.tile.ok { border-left-color: #2da44e; }
.tile.failed { border-left-color: #cf222e; background: #ffebe9; }
.tile.stuck { border-left-color: #bc4c00; background: #fff1e5; }
.tile.rejected { border-left-color: #8250df; background: #fbefff; }
.tile.never_checked { border-left-color: #9a6700; background: #fff8c5; }
.tile.parked_regions { border-left-color: #6e5849; background: #f5f0eb; }
.quiet { background: #dafbe1; border-left: 6px solid #2da44e; padding: 0.5em 0.8em; font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.875em; }
th, td { padding: 0.25em 0.5em; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top;
         white-space: nowrap; }
td.prose { white-space: normal; min-width: 16em; max-width: 44em; overflow-wrap: anywhere; }
.clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.clamp:focus { display: block; outline: 1px dotted #59636e; }
.id { display: inline-flex; justify-content: flex-end; max-width: 12ch; overflow: hidden; user-select: all;
      vertical-align: bottom; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.id span { flex: none; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f6f8fa; }
table.header th { background: none; font-weight: 600; }
table.header td { white-space: normal; overflow-wrap: anywhere; }
.warning { background: #fff1e5; border-left: 4px solid #bc4c00; padding: 0.5em 0.8em; font-weight: 600; }
.empty, .note { color: #59636e; font-style: italic; margin: 0.3em 0 0.5em; }
details summary { cursor: pointer; color: #0969da; margin: 0.3em 0; }
.hbars { display: grid; grid-template-columns: max-content minmax(4em, 24em) max-content; gap: 0.2em 0.6em;
         align-items: center; margin: 0.4em 0 0.6em; }
.hbars .bar { height: 0.9em; }
.hbars .n { font-variant-numeric: tabular-nums; text-align: right; }
.legend { display: flex; flex-wrap: wrap; gap: 0.2em 1.2em; margin: 0.4em 0; }
.key { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
.plot { display: flex; height: 12em; margin: 0 0 0.6em; border-bottom: 1px solid #d0d7de; padding-bottom: 1.5em;
        position: relative; }
.slot { flex: 1 1 0; min-width: 0; position: relative; }
.bars { position: absolute; left: 10%; right: 10%; top: 0; bottom: 0; display: flex; align-items: flex-end; gap: 1px; }
.bars i { flex: 1 1 0; display: block; position: relative; min-height: 0; }
.bars i.fail { position: absolute; left: 0; right: 0; bottom: 0; }
.lbl { position: absolute; top: 100%; left: 0; margin-top: 0.2em; white-space: nowrap; display: none;
       font-variant-numeric: tabular-nums; color: #59636e; }
.lbl.w { display: block; }
.c-submitted { background: #0969da; } .c-resolved { background: #2da44e; } .c-failed { background: #cf222e; }
.c-previous { background: #afb8c1; } .c-stuck { background: #bc4c00; } .c-in_progress { background: #54aeff; }
.c-pending { background: #8c959f; } .c-rejected { background: #8250df; } .c-expired { background: #6e5849; }
.c-succeeded { background: #2da44e; }
@media (max-width: 63.99em) { .lbl.w { display: none; } .lbl.m { display: block; } }
@media (max-width: 39.99em) { body { padding: 0 0.75em; margin: 0.75em auto; } th, td { padding: 0.25em 0.4em; }
  .lbl.m { display: none; } .lbl.n { display: block; } .plot { height: 9em; } }
)";

// The narrowest plot each label breakpoint above can get (px): 1024 and 640 px less the body's
// padding, and a 320 px phone. Labels are spaced for these so that they never overlap.
constexpr struct {
  const char* cls;
  int plot_px;
} kLabelWidths[] = {{"w", 1024 - 48}, {"m", 640 - 48}, {"n", 320 - 24}};
// A label's width per character at body size, with room for the gap between labels.
constexpr int kLabelCharPx = 9, kLabelGapPx = 8;

std::string num(std::int64_t n) { return std::to_string(n); }

// A height or width in percent of `largest`, as CSS.
std::string percent(std::int64_t v, std::int64_t largest) {
  return std::to_string(static_cast<double>(v) * 100.0 / static_cast<double>(std::max<std::int64_t>(largest, 1)))
             .substr(0, 6) + "%";
}

std::string bar(const char* colour, std::int64_t v, std::int64_t largest, const std::string& inner = "") {
  // However few, a count stays visible.
  return std::string("<i class=\"c-") + colour + "\" style=\"height:" + percent(v, largest) +
         ";min-height:2px\">" + inner + "</i>";
}

std::string totalsChart(const Summary& s) {
  std::int64_t largest = 1;
  for (TaskClass c : kAllClasses) largest = std::max(largest, s.totals.of(c));
  std::string out = "<div class=\"hbars\" role=\"img\" aria-label=\"Tasks by class\">\n";
  for (TaskClass c : kAllClasses) {
    const std::int64_t n = s.totals.of(c);
    out += "<span>" + std::string(label(c)) + "</span><span><span class=\"bar c-" + std::string(toString(c)) +
           "\" style=\"display:block;width:" + percent(n, largest) + (n ? ";min-width:2px" : "") +
           "\"></span></span><span class=\"n\">" + num(n) + "</span>\n";
  }
  return out + "</div>\n";
}

// Which label breakpoints (kLabelWidths) show slice i's label.
std::string labelClasses(int i, int n, std::size_t chars) {
  std::string out;
  const int label_px = static_cast<int>(chars) * kLabelCharPx + kLabelGapPx;
  for (const auto& w : kLabelWidths) {
    const int span = (label_px * n + w.plot_px - 1) / w.plot_px;  // slices one label covers
    if (i % std::max(span, 1) == 0 && i + span <= n) out += std::string(" ") + w.cls;
  }
  return out;
}

std::string legend(const Summary& s, std::int64_t largest) {
  std::string out = "<div class=\"legend\">";
  for (const auto& [colour, name] : {std::pair{"submitted", "submitted"}, std::pair{"resolved", "resolved"},
                                      std::pair{"failed", "failed (of resolved)"}}) {
    out += std::string("<span><i class=\"key c-") + colour + "\"></i>" + name + "</span>";
  }
  if (s.previous) out += "<span><i class=\"key c-previous\"></i>submitted, previous window</span>";
  return out + "<span>tallest bar: " + num(largest) + "</span></div>\n";
}

// Per slice, bars side by side: the previous window's submitted (when comparing), submitted,
// and resolved with its failed part in red at the bottom. Each slice carries a title: the
// browser shows the exact numbers on hover, without a script. Only slices that have begun.
std::string overTimeChart(const Summary& s) {
  const auto n = static_cast<int>(s.over_time.size());
  const auto* before = s.previous ? &s.previous->over_time : nullptr;
  const auto previous = [&](int i) {
    return before && static_cast<std::size_t>(i) < before->size() ? (*before)[static_cast<std::size_t>(i)].submitted : 0;
  };
  std::int64_t largest = 1;
  for (int i = 0; i < n; ++i) {
    const TimeBucket& b = s.over_time[static_cast<std::size_t>(i)];
    largest = std::max({largest, b.submitted, b.resolved, previous(i)});
  }
  std::string out = legend(s, largest) + "<div class=\"plot\" role=\"img\" aria-label=\"Tasks submitted and resolved over the window\">\n";
  for (int i = 0; i < n; ++i) {
    const TimeBucket& b = s.over_time[static_cast<std::size_t>(i)];
    const std::string when = showSliceStart(b.from, s);
    std::string tip = when + ": " + num(b.submitted) + " submitted, " + num(b.resolved) + " resolved, " +
                      num(b.failed) + " failed";
    std::string bars;
    if (before) {
      tip += "; previous window " + num(previous(i)) + " submitted";
      bars += previous(i) ? bar("previous", previous(i), largest) : "<i></i>";
    }
    bars += b.submitted ? bar("submitted", b.submitted, largest) : "<i></i>";
    const std::string fail = b.failed ? "<i class=\"fail c-failed\" style=\"height:" + percent(b.failed, b.resolved) +
                                            ";min-height:2px\"></i>"
                                      : "";
    bars += b.resolved ? bar("resolved", b.resolved, largest, fail) : "<i></i>";
    out += "<div class=\"slot\" title=\"" + escapeHtml(tip) + "\"><div class=\"bars\">" + bars +
           "</div><span class=\"lbl" + labelClasses(i, n, when.size()) + "\">" + escapeHtml(when) + "</span></div>\n";
  }
  return out + "</div>\n";
}

std::string cellValue(const Table& t, std::size_t i, const std::string& v) {
  if (v.empty()) return "";
  if (t.ids[i]) {
    std::string out;
    for (std::size_t from = 0; from < v.size();) {
      const std::size_t end = std::min(v.find(' ', from), v.size());
      const std::string id = escapeHtml(v.substr(from, end - from));
      out += (out.empty() ? "" : " ") + ("<span class=\"id\" title=\"" + id + "\"><span>" + id + "</span></span>");
      from = end + 1;
    }
    return out;
  }
  if (t.prose[i]) return "<div class=\"clamp\" tabindex=\"0\" title=\"" + escapeHtml(v) + "\">" + escapeHtml(v) + "</div>";
  return escapeHtml(v);
}

void writeTable(std::string& out, const Table& t) {
  const auto cls = [&](std::size_t i, bool td) -> std::string {
    if (t.numeric[i]) return " class=\"num\"";
    return td && t.prose[i] ? " class=\"prose\"" : "";
  };
  out += "<div class=\"scroll\"><table>\n<thead><tr>";
  for (std::size_t i = 0; i < t.header.size(); ++i) out += "<th" + cls(i, false) + ">" + escapeHtml(t.header[i]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) out += "<td" + cls(i, true) + ">" + cellValue(t, i, row[i]) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
}

std::string tiles(const Summary& s) {
  if (quiet(s)) return "<p class=\"quiet\" id=\"headline\">" + escapeHtml(quietLine(s)) + "</p>\n";
  std::string out = "<nav class=\"tiles\" id=\"headline\" aria-label=\"Needs attention\">\n";
  for (const HeadlineItem& item : headline(s)) {
    out += "<a class=\"tile " + (item.count ? item.key : std::string("ok")) + "\" href=\"#" + item.section + "\"><b>" +
           num(item.count) + "</b>" + escapeHtml(item.label);
    if (item.previous) out += "<small>" + escapeHtml(showChange(item.count, *item.previous)) + "</small>";
    out += "</a>\n";
  }
  return out + "</nav>\n";
}

// One line under the title: what the window is, so that the metadata can wait below.
std::string subtitle(const Summary& s) {
  std::string out = showTime(s.window.since, s.utc) + " to " + showTime(s.window.until, s.utc) + " · " + s.time_zone +
                    " · " + std::to_string(s.totals.total) + " tasks";
  if (const std::string p = headlineNote(s); !p.empty()) out += " · " + p;
  return "<p class=\"sub\">" + escapeHtml(out) + "</p>\n";
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
  out += subtitle(s) + tiles(s);
  for (const auto& w : warnings(s)) out += "<p class=\"warning\">Warning: " + escapeHtml(w) + "</p>\n";
  out += "<details class=\"about\"><summary>Ledger, window, filters, last run</summary>\n<table class=\"header\">\n";
  for (const auto& [label, value] : headerFields(s)) {
    out += "<tr><th>" + escapeHtml(label) + "</th><td>" + escapeHtml(value) + "</td></tr>\n";
  }
  out += "</table></details>\n";
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
