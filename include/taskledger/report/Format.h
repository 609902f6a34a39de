#pragma once
// The report's output formats, one renderer each (src/report/*Renderer.cpp).
#include <optional>
#include <string>
#include <string_view>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

enum class Format { Text, Csv, Json, Markdown, Html };

// "text", "csv", "json", "markdown" (or "md"), "html"; nullopt otherwise.
std::optional<Format> parseFormat(std::string_view name);

// The CSV format holds one table per file (report --table): the listed tasks (the default), the
// failure reasons, the slices of the window, the counts per actor, or the totals (with
// --compare-previous, the previous window's and the change).
enum class CsvTable { Tasks, FailureReasons, Hours, ByActor, Totals, Headline };

// "tasks", "failure_reasons", "hours", "by_actor", "totals", "headline"; nullopt otherwise.
std::optional<CsvTable> parseCsvTable(std::string_view name);

// How a document is laid out, where the format has a choice.
struct RenderOptions {
  int width = 80;    // text: the columns to fit (report --width; 0: never wrap)
  bool bom = false;  // CSV: starts with a UTF-8 byte order mark, for spreadsheets that need one
};

// The whole document. Text, Markdown and HTML show times local unless s.utc; JSON always UTC;
// CSV with the zone's offset.
std::string render(const Summary& s, Format format, const RenderOptions& options = {});

// One table as CSV; render(s, Format::Csv) is the tasks table.
std::string renderCsvTable(const Summary& s, CsvTable table, const RenderOptions& options = {});

}  // namespace taskledger::report
