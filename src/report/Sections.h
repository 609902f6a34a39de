#pragma once
// The report as people read it (text, Markdown, HTML): a header of labelled lines, then titled
// tables, decided once here so that the three formats cannot drift apart. Values are raw: each
// renderer escapes them for its output.
#include <string>
#include <utility>
#include <vector>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // per column: right-aligned
  std::vector<bool> prose;    // per column: free text that may wrap (messages); the rest stays on one line
  std::vector<std::vector<std::string>> rows;
};

struct Section {
  std::string id;          // "totals", "by-region", "failed", ...: for anchors and styles
  std::string title;       // "Failed (3)"
  Table table;
  std::string empty_note;  // said instead of the table when it has no rows
  std::string note;        // said under the title when not empty: what the table leaves out
};

// (label, value): ledger, window, time zone, generated, filters, stuck rule, last run.
std::vector<std::pair<std::string, std::string>> headerFields(const Summary& s);

// In reading order: totals, parked regions, never checked, failure reasons, over the day, by
// region, by operation, by actor, resolution time, failed, stuck, rejected.
std::vector<Section> sections(const Summary& s);

// "2026-03-10 18:00:00" local, or "2026-03-10 17:00:00Z" when utc.
std::string showTime(TimePoint t, bool utc);
// A time in a table: "13:00:05" when the window is a day or less and t is on the day it
// starts (the header names the day), else as showTime.
std::string showWhen(TimePoint t, const Summary& s);
// The start of a slice of the window: "13:00" when the window is a day or less, else
// "2026-03-10 13:00"; a Z when utc.
std::string showSliceStart(TimePoint t, const Summary& s);
// "+20 (+100%)", "-3 (-25%)", "0", "+5 (new)": a count against the previous window's.
std::string showChange(std::int64_t now, std::int64_t before);
// Rounded to the second: "1h2m5s", "0s".
std::string showDuration(Millis d);
// Seconds with up to three decimals and no trailing zeros: "12.5", "0.001", "120".
std::string decimalSeconds(Millis d);

}  // namespace taskledger::report
