#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// Aligned plain-text tables for a terminal or an e-mail body (monospace; no colour codes), fitted
// to `width` columns (0: never wrapped). A table too wide wraps its messages under their column,
// and when that is not enough each row becomes a block of "name value" lines.
std::string renderText(const Summary& s, int width);

}  // namespace taskledger::report
