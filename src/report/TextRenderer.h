#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// Aligned plain-text tables for a terminal or an e-mail body (monospace; no colour codes).
std::string renderText(const Summary& s);

}  // namespace taskledger::report
