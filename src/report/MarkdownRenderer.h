#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// GitHub-flavoured Markdown: a header list, then one table per section (for a ticket or a wiki).
std::string renderMarkdown(const Summary& s);

}  // namespace taskledger::report
