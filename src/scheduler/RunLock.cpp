#include "taskledger/scheduler/RunLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {
namespace {

// The holder's description is one short line; a longer file is not ours to print whole.
constexpr std::size_t kMaxHolderText = 512;

std::string readHolder(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "another process";
  char buf[kMaxHolderText] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  return holder.empty() ? "another process" : holder;
}

void describeHolder(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return;  // the lock holds regardless; only the description for a second run is missing
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string who = std::string("host ") + host + ", pid " + std::to_string(::getpid()) + ", since " +
                    formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now())) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    // as above: best effort
  }
  ::close(fd);
}

}  // namespace

std::string RunLock::describingFile(const std::string& ledger_path) {
  std::error_code ec;
  auto real = std::filesystem::canonical(ledger_path, ec);
  return (ec ? ledger_path : real.string()) + ".lock";
}

std::optional<RunLock> RunLock::tryAcquire(const std::string& ledger_path, std::string& holder) {
  const int fd = ::open(ledger_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error::runtime("cannot open ledger '" + ledger_path + "' to lock it: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);  // nothing of SQLite is open yet in the caller (see the header)
    holder = readHolder(describingFile(ledger_path));
    return std::nullopt;
  }
  describeHolder(describingFile(ledger_path));
  return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace taskledger::scheduler
