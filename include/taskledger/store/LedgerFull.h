#pragma once
// A write the disk had no room for: SQLITE_FULL (SQLite's own mapping of ENOSPC, and a ledger at
// its max_page_count), or an I/O error while the ledger's folder has no space left. Exit 1; the
// message names the ledger's folder, the space left there and the space to free, where SQLite
// says only "database or disk is full" or "disk I/O error".
#include <string>

#include <SQLiteCpp/Exception.h>

#include "taskledger/domain/Error.h"

namespace taskledger::store {

class LedgerFull : public Error {
 public:
  explicit LedgerFull(const std::string& message) : Error(ExitCode::Failure, message) {}
};

// Room to ask for at least: a checkpoint copies the write-ahead log into the ledger, and the log
// grows by whole pages per transaction; a few MiB let every command finish and the log be folded.
inline constexpr long long kMinFreeBytes = 4LL << 20;

// Whether `e`, from a write to the ledger at `path`, means there was no room.
bool isOutOfSpace(const SQLite::Exception& e, const std::string& path);

// "no space left in /var/lib/taskledger for recording answers to ledger '...' (disk full, 12 KiB
// free); free at least 4.0 MiB there and run again": `what` says which write.
LedgerFull ledgerFull(const std::string& path, const std::string& what);

}  // namespace taskledger::store
