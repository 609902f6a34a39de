#include "taskledger/store/LedgerFull.h"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace taskledger::store {
namespace {

namespace fs = std::filesystem;

std::string folderOf(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  const fs::path folder = (ec ? fs::path(path) : absolute).parent_path();
  return folder.empty() ? "." : folder.string();
}

// Bytes an unprivileged writer may still use in `folder`; -1 when the system cannot tell.
long long freeBytes(const std::string& folder) {
  struct statvfs st {};
  if (::statvfs(folder.c_str(), &st) != 0) return -1;
  return static_cast<long long>(st.f_bavail) * static_cast<long long>(st.f_frsize);
}

long long sizeOf(const std::string& file) {
  std::error_code ec;
  const auto n = fs::file_size(file, ec);
  return ec ? 0 : static_cast<long long>(n);
}

std::string humanBytes(long long n) {
  char buf[32];
  if (n < 1024) {
    std::snprintf(buf, sizeof buf, "%lld bytes", n);
  } else if (n < (1LL << 20)) {
    std::snprintf(buf, sizeof buf, "%lld KiB", n >> 10);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  }
  return buf;
}

}  // namespace

bool isOutOfSpace(const SQLite::Exception& e, const std::string& path) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_FULL) return true;
  // Some write paths (fsync, growing the WAL index) report ENOSPC as a plain I/O error.
  return code == SQLITE_IOERR && freeBytes(folderOf(path)) == 0;
}

LedgerFull ledgerFull(const std::string& path, const std::string& what) {
  const std::string folder = folderOf(path);
  const long long left = freeBytes(folder);
  // The log is folded into the ledger at a checkpoint: that much again, and never less than the floor.
  const long long need = std::max(kMinFreeBytes, sizeOf(path + "-wal"));
  return LedgerFull("no space left in " + folder + " for " + what + " to ledger '" + path + "' (disk full" +
                    (left >= 0 ? ", " + humanBytes(left) + " free" : "") + "); free at least " + humanBytes(need) +
                    " there and run again");
}

}  // namespace taskledger::store
