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
  std::vector<bool> ids;      // per column: request ids (space-separated), which HTML shows short (each whole id copyable)
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

// In reading order: what needs a person grouped (failure reasons, stuck by region and age,
// parked regions, never checked), then totals, over the day, by region, by operation, by actor,
// resolution time, and the lists: failed, stuck, rejected. Columns empty in every row are left out.
std::vector<Section> sections(const Summary& s);

// One headline count as people read it: "4", or with the previous window "4 (+3 (+300%))".
std::string showHeadlineCount(const HeadlineItem& item);
// The line said instead of the headline on a quiet day, and the line that says a day is partial
// ("" when it is not).
std::string quietLine(const Summary& s);
std::string partialLine(const Summary& s);
// The line under the headline: "partial: up to <now>" on a window that reaches past now, and
// what its changes are counted against ("changes against <since> to <until>"); "" when neither.
std::string headlineNote(const Summary& s);
// Actor names as shown: "(unknown)" for tasks without one (imported or added by hand).
std::vector<std::string> actorNames(std::vector<std::string> actors);
// "UnsupportedRegion: The region ... is not supported."
std::string showParking(const ParkingReason& p);

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
