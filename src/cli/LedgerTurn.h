#pragma once
// How run and discover take their lock of the ledger: at once when it is free; else, saying so
// once, they wait their turn up to --lock-wait (a `wait` holds the run lock only for the moments it
// asks), then say who holds it and give up with "try later" (exit 75).
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "taskledger/scheduler/RunLock.h"

namespace taskledger::cli {

// Declares --lock-wait D (default 30s) for a command.
void addLockWaitOption(boost::program_options::options_description& options);

// nullopt: the lock stayed held; the "try later" line is printed and the caller returns 75.
std::optional<scheduler::RunLock> takeTurn(const std::string& command, const std::string& ledger,
                                           const boost::program_options::variables_map& vm, scheduler::LockPurpose purpose,
                                           bool quiet);

}  // namespace taskledger::cli
