#pragma once
// The ledger's cross-process locks: one `run` (or a `wait` asking for its own ids) at a time, and,
// apart from that, one `discover` at a time, per ledger file, whatever name it is reached by (a
// symlink, "./l.db", a hard link). The kernel drops a lock when its holder dies (even by kill -9),
// so a dead holder never blocks the next command. Who holds a lock is written to a file beside the
// ledger's real path ("<path>.lock", "<path>.discover.lock"), for the message the second one prints.
//
// Why the locks live on one descriptor kept for the whole life of the process: closing *any*
// descriptor of a file drops every POSIX lock this process holds on it, and SQLite's locks are
// POSIX locks. A lock taken by opening the ledger and released by closing it would, beside an open
// connection (`wait` takes and lets go of the run lock while it reads the ledger), silently drop
// SQLite's locks and let another process write under a reader: "database disk image is malformed"
// (SQLite's "How To Corrupt An SQLite Database File", 2.2). So the ledger is opened for locking
// once per file and never closed; a lock is let go with flock(LOCK_UN) or F_OFD_SETLK(F_UNLCK).
// The run lock is an flock(2) on it; the discover lock an open-file-description byte lock far
// beyond SQLite's lock bytes. Neither touches SQLite's own locks, whatever the order of opens.
#include <functional>
#include <optional>
#include <string>

#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

enum class LockPurpose {
  Run,       // run, and wait while it asks: every CLB request of the ledger goes under it
  Discover,  // discover: every CloudAudit request of the ledger goes under it
};

class RunLock {
 public:
  // Takes the lock or returns nullopt with `holder` describing the current holder
  // ("host web-1, pid 4242, since 2026-11-27T23:06:17.123Z"; "this process" when this process
  // already holds it). Throws Error when the ledger cannot be opened for locking.
  static std::optional<RunLock> tryAcquire(const std::string& ledger_path, std::string& holder,
                                           LockPurpose purpose = LockPurpose::Run);

  // Waits `pause` long between two tries; false: stop trying (a stop signal came).
  using Pause = std::function<bool(Millis pause)>;

  // As tryAcquire, but while another process holds the lock, tries again every few tens of
  // milliseconds for up to `patience`: a `wait` holds the run lock only for the moments it asks,
  // and cron's run must take its turn rather than exit 75 because of it. `pause` (default: a
  // plain sleep) lets a stop signal end the wait early (nullopt).
  static std::optional<RunLock> acquire(const std::string& ledger_path, Millis patience, std::string& holder,
                                        LockPurpose purpose = LockPurpose::Run, const Pause& pause = nullptr);

  // The file that describes the holder: "<ledger's real path>.lock" (run) or ".discover.lock".
  static std::string describingFile(const std::string& ledger_path, LockPurpose purpose = LockPurpose::Run);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();  // lets the lock go; the descriptor stays open (see above)

  struct Slot;  // one lock of one ledger file in this process (RunLock.cpp)

 private:
  explicit RunLock(Slot* slot) : slot_(slot) {}
  Slot* slot_ = nullptr;
};

}  // namespace taskledger::scheduler
