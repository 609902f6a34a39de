#include "StuckAfter.h"

#include "taskledger/domain/Duration.h"
#include "taskledger/report/TaskClass.h"

namespace taskledger::cli {

void addStuckAfterOption(po::options_description& options, const std::string& what) {
  options.add_options()(report::kStuckAfterKey,
                        po::value<std::string>()->default_value(formatDuration(report::kDefaultStuckAfter))->value_name("D"),
                        what.c_str());
}

Millis stuckAfterFlag(const po::variables_map& vm) { return durationFlag(vm, report::kStuckAfterKey); }

}  // namespace taskledger::cli
