#pragma once
// --stuck-after, declared the same way by every command that counts stuck tasks (run, report):
// one flag name, one INI key, one default (report::kDefaultStuckAfter).
#include <string>

#include "CommandLine.h"
#include "taskledger/domain/Time.h"

namespace taskledger::cli {

// Adds --stuck-after D; `what` is the command's own help text for it.
void addStuckAfterOption(po::options_description& options, const std::string& what);
// Its value, or Error::usage naming the flag.
Millis stuckAfterFlag(const po::variables_map& vm);

}  // namespace taskledger::cli
