#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// One self-contained HTML page: inline CSS, an inline SVG bar chart of the totals, the tables.
// No script, no external request (a Content-Security-Policy forbids both), every value escaped.
std::string renderHtml(const Summary& s);

}  // namespace taskledger::report
