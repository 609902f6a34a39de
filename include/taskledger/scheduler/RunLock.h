#pragma once
// One run per ledger: an exclusive flock(2) on the ledger file itself, so every name of the same
// file (a symlink, "./l.db", a hard link) meets the same lock. The kernel drops the lock when the
// holder dies (even by kill -9), so a dead holder never blocks the next run. Who holds it is
// written to "<ledger's real path>.lock", for the message the second run prints.
//
// Take it before opening the ledger's store::Database and let it outlive that Database: closing
// any descriptor of a file drops the POSIX locks this process holds on it, and SQLite's are POSIX
// locks (flock locks are separate from them on Linux).
#include <optional>
#include <string>

namespace taskledger::scheduler {

class RunLock {
 public:
  // Takes the lock or returns nullopt with `holder` describing the current holder
  // ("host web-1, pid 4242, since 2026-11-27T23:06:17.123Z"). Throws Error when the ledger
  // cannot be opened for locking.
  static std::optional<RunLock> tryAcquire(const std::string& ledger_path, std::string& holder);

  // The file that describes the holder: "<ledger's real path>.lock".
  static std::string describingFile(const std::string& ledger_path);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace taskledger::scheduler
