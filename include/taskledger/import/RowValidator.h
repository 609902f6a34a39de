#pragma once
// Turns CSV records into NewTask values, or into a short reason naming the field that is wrong.
//
// The layout comes from the file's first record:
//  - a header: names matched case-insensitively, ignoring '_', '-' and spaces: request_id
//    (aliases RequestId, TaskId, task_id), region, operation, resource, submitted_at, profile.
//    Other names are ignored (with a warning, see ignoredColumns()); empty names are ignored
//    silently (spreadsheets add them). A header must name request_id.
//  - a single field holding a UUID: a file of bare request ids, one per line, no header.
//  - a single field that is neither: also a file of bare ids, whose first row is then rejected.
// Defaults (--region, --profile, --operation) fill a column the file lacks and any empty cell of
// a column it has. Values are trimmed of spaces and tabs.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Task.h"
#include "taskledger/import/CsvReader.h"

namespace taskledger::import {

struct RowDefaults {
  std::string region;                // empty: rows must name their region
  std::string profile = "default";
  std::string operation;
};

class RowValidator {
 public:
  // `source_name` is how rows are named in NewTask::source ("ap-guangzhou.csv" gives
  // "ap-guangzhou.csv:17") and in errors. A submitted_at must be sane against `now` (Time.h
  // isSaneTime); absent, the system clock's time of construction.
  RowValidator(std::string source_name, RowDefaults defaults, std::optional<TimePoint> now = std::nullopt);

  // Reads the layout from the file's first record. Returns true when the record was a header
  // (and so is not data). Throws taskledger::Error naming FILE:LINE when the file cannot be
  // read at all: usage (exit 2) when the fix is a flag (no region column and no --region),
  // bad input (exit 65) when the layout is unusable (several columns but no header, a header
  // without request_id or with a column twice).
  bool readLayout(const CsvRecord& first);

  // Fills `out` from the record (reusing its strings' storage) or returns false with `reason`
  // ("request_id 'abc' is not a UUID"). Call readLayout() first.
  bool toTask(const CsvRecord& record, NewTask& out, std::string& reason) const;

  bool hasHeader() const { return has_header_; }
  // Header names that are not ledger columns, in file order.
  const std::vector<std::string>& ignoredColumns() const { return ignored_; }

  // True for a record whose fields are all blank (",,," rows that spreadsheets leave): skipped.
  static bool isBlank(const CsvRecord& record);

 private:
  enum Column { kRequestId, kRegion, kOperation, kResource, kSubmittedAt, kProfile, kColumnCount };
  static constexpr int kAbsent = -1;

  std::string source_name_;
  RowDefaults defaults_;
  TimePoint now_;
  bool has_header_ = false;
  std::size_t width_ = 1;  // fields every row must have
  std::array<int, kColumnCount> index_{};
  std::vector<std::string> ignored_;
};

}  // namespace taskledger::import
