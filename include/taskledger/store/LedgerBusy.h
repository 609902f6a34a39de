#pragma once
// A write that could not start because another process held the ledger's write lock for longer
// than Database::kBusyTimeoutMs. Exit 75 (try later); the message names the ledger and, when the
// operating system can tell, the process holding it. Stores throw it from any writing method, so
// a caller that can keep its work (the scheduler's answers) may catch it and try again.
#include <string>

#include <SQLiteCpp/Exception.h>

#include "taskledger/domain/Error.h"
#include "taskledger/store/LedgerFull.h"

namespace taskledger::store {

class LedgerBusy : public Error {
 public:
  explicit LedgerBusy(const std::string& message) : Error(ExitCode::TryLater, message) {}
};

// "pid 4242 (taskledger import big.csv)" for the process holding the write lock of the ledger at
// `path` (read from the WAL index's lock byte), or "" when none can be named.
std::string describeWriteLockHolder(const std::string& path);

// The LedgerBusy for a write to `path` doing `what` ("recording answers").
LedgerBusy ledgerBusy(const std::string& path, const std::string& what);

// Runs `write`, turning SQLite's "database is locked" (the busy timeout ran out) into
// ledgerBusy(path, what) and a full disk into ledgerFull(path, what). Other exceptions pass
// unchanged.
template <class Write>
auto busyAware(const std::string& path, const char* what, Write&& write) -> decltype(write()) {
  try {
    return write();
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == 5 /* SQLITE_BUSY */) throw ledgerBusy(path, what);
    if (isOutOfSpace(e, path)) throw ledgerFull(path, what);
    throw;
  }
}

}  // namespace taskledger::store
