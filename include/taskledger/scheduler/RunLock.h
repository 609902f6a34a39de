#pragma once
// One run per ledger: an exclusive flock(2) on "<ledger>.lock". The kernel drops the lock when the
// holder dies (even by kill -9), so a dead holder never blocks the next run. The file also says
// who holds it, for the message the second run prints.
#include <optional>
#include <string>

namespace taskledger::scheduler {

class RunLock {
 public:
  // Takes the lock or returns nullopt with `holder` describing the current holder
  // ("host web-1, pid 4242, since 2026-11-27T23:06:17.123Z"). Throws Error when the lock file
  // cannot be created.
  static std::optional<RunLock> tryAcquire(const std::string& ledger_path, std::string& holder);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace taskledger::scheduler
