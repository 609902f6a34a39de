#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// One row per listed task (failed, then stuck, then rejected) with a class column, for a
// spreadsheet. Times as the other human formats show them; age only for stuck tasks.
std::string renderCsv(const Summary& s);

}  // namespace taskledger::report
