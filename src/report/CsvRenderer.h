#pragma once
#include <string>

#include "taskledger/report/Format.h"
#include "taskledger/report/Summary.h"

namespace taskledger::report {

// One table of the report as a plain RFC 4180 file with a header row, for a spreadsheet (one
// table per file). Tasks: one row per listed task (failed, then stuck, then rejected) with a
// class column; times ISO-8601 with their zone's offset; age in whole seconds, only for stuck tasks.
std::string renderCsv(const Summary& s, CsvTable table = CsvTable::Tasks);

}  // namespace taskledger::report
