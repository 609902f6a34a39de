#pragma once
// Small pieces the ledger commands share.
#include <iosfwd>
#include <string>

#include "taskledger/domain/Task.h"

namespace taskledger::cli {

// "ap-guangzhou  0b7c...  succeeded  ..." : the one-task block `show` and `add` print.
void printTask(std::ostream& out, const Task& t, bool utc);

}  // namespace taskledger::cli
