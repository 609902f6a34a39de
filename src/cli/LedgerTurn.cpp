#include "LedgerTurn.h"

#include <iostream>

#include "CommandLine.h"
#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/domain/Text.h"
#include "taskledger/tencent/CallRegistry.h"

namespace taskledger::cli {

void addLockWaitOption(po::options_description& options) {
  options.add_options()("lock-wait", po::value<std::string>()->default_value("30s")->value_name("D"),
                        "while another holds the ledger, wait this long for it before exiting 75 (0s: not at all)");
}

std::optional<scheduler::RunLock> takeTurn(const std::string& command, const std::string& ledger,
                                           const po::variables_map& vm, scheduler::LockPurpose purpose, bool quiet) {
  const Millis patience = durationFlag(vm, "lock-wait");
  const std::string what = purpose == scheduler::LockPurpose::Run ? "a run or wait" : "another discover";
  std::string holder;
  const auto held = [&](const std::string& then) {
    std::cerr << "taskledger " << command << ": " << what << " holds " << ledger << " (" << escapeForTerminal(holder)
              << "); " << then << "\n";
  };
  if (auto lock = scheduler::RunLock::tryAcquire(ledger, holder, purpose)) return lock;
  if (patience > Millis(0)) {
    if (!quiet) held("waiting up to " + formatDuration(patience) + " for its turn");
    // A stop signal ends the wait at once (the command then exits 130/143).
    const auto pause = [](Millis d) { return tencent::CallRegistry::sleepUntil(SystemClock().now() + d); };
    if (auto lock = scheduler::RunLock::acquire(ledger, patience, holder, purpose, pause)) return lock;
    tencent::CallRegistry::throwIfStopped("taskledger " + command);
  }
  held("try later");
  return std::nullopt;
}

}  // namespace taskledger::cli
