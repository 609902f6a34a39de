#include "taskledger/scheduler/RunLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

std::optional<RunLock> RunLock::tryAcquire(const std::string& ledger_path, std::string& holder) {
  const std::string path = ledger_path + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error::runtime("cannot create lock file '" + path + "': " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[512] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "another process";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    ::close(fd);
    return std::nullopt;
  }
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string who = std::string("host ") + host + ", pid " + std::to_string(::getpid()) + ", since " +
                    formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now())) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    // The lock holds regardless; only the description for a second run is missing.
  }
  return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace taskledger::scheduler
