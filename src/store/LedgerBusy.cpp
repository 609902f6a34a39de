#include "taskledger/store/LedgerBusy.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "taskledger/store/Database.h"

namespace taskledger::store {
namespace {

// SQLite's WAL index (the -shm file) keeps its locks as bytes from offset 120; the first is the
// write lock (WAL_WRITE_LOCK in sqlite3.c, a documented part of the file format).
constexpr long long kWalWriteLockByte = 120;
// A command line is shown up to this long: enough to tell an import from a run.
constexpr std::size_t kMaxCommandLine = 160;

std::string commandLineOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text;
  char c = 0;
  while (text.size() < kMaxCommandLine && in.get(c)) {
    const auto u = static_cast<unsigned char>(c);
    text += (u == 0 ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

std::string describeWriteLockHolder(const std::string& path) {
  std::error_code ec;
  auto real = std::filesystem::weakly_canonical(path, ec);
  const std::string shm = (ec ? path : real.string()) + "-shm";
  // Read from /proc/locks rather than asked with fcntl(F_GETLK): that needs a descriptor on the
  // -shm file, and closing it would drop every POSIX lock this process's own connection holds on
  // the file (POSIX's close semantics), which SQLite relies on.
  struct stat st {};
  if (::stat(shm.c_str(), &st) != 0) return "";
  char id[64];
  std::snprintf(id, sizeof id, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 120 120"; waiters ("1: -> POSIX ...") skipped.
    std::istringstream fields(line);
    std::string n, kind, advisory, access, dev_ino;
    long long pid = 0, start = 0;
    std::string end;
    if (!(fields >> n >> kind >> advisory >> access >> pid >> dev_ino >> start >> end)) continue;
    if (kind != "POSIX" || access != "WRITE" || dev_ino != id || pid <= 0) continue;
    const bool to_eof = end == "EOF";
    if (start > kWalWriteLockByte || (!to_eof && std::stoll(end) < kWalWriteLockByte)) continue;
    std::string who = "pid " + std::to_string(pid);
    const std::string cmd = commandLineOf(static_cast<pid_t>(pid));
    if (!cmd.empty()) who += " (" + cmd + ")";
    return who;
  }
  return "";
}

LedgerBusy ledgerBusy(const std::string& path, const std::string& what) {
  const std::string holder = describeWriteLockHolder(path);
  return LedgerBusy("ledger '" + path + "' is busy: " + (holder.empty() ? "another process" : holder) +
                    " has held its write lock for over " + std::to_string(Database::kBusyTimeoutMs / 1000) + " s (" +
                    what + " waited); try later");
}

}  // namespace taskledger::store
