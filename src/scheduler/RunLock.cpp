#include "taskledger/scheduler/RunLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <list>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

// One lock of one ledger file in this process.
struct RunLock::Slot {
  int fd = -1;        // the file's kept descriptor (shared by both purposes; never closed)
  LockPurpose purpose = LockPurpose::Run;
  bool held = false;  // protected by the registry's mutex
};

namespace {

// The holder's description is one short line; a longer file is not ours to print whole.
constexpr std::size_t kMaxHolderText = 512;
// The discover lock's byte: far past SQLite's lock bytes (0x40000000 .. 0x40000201), which no
// ledger reaches, and a byte-range lock beyond the end of a file is allowed.
constexpr off_t kDiscoverLockByte = 0x7FFF0000;
// How often acquire() looks again while another process holds the lock.
constexpr auto kRetryEvery = std::chrono::milliseconds(25);

// Every ledger file this process has opened for locking, by (device, inode): so that every name
// of a file meets the same descriptor, and no descriptor of it is ever closed (see the header).
class Registry {
 public:
  static Registry& instance() {
    static Registry* registry = new Registry;  // never destroyed: its descriptors outlive everything
    return *registry;
  }

  std::mutex mutex;

  RunLock::Slot& slot(const std::string& path, LockPurpose purpose) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) fail(path);
    Key key{st.st_dev, st.st_ino};
    auto it = fds_.find(key);
    if (it == fds_.end()) {
      // Read-write, for the discover lock's write lock; a ledger only readable still gets the run lock.
      int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) fail(path);
      struct stat opened {};
      if (::fstat(fd, &opened) == 0) key = {opened.st_dev, opened.st_ino};  // renamed meanwhile: the file we hold
      it = fds_.emplace(key, fd).first;  // an extra descriptor after such a race is kept open too
    }
    auto& slots = slots_[key];
    for (auto& s : slots) {
      if (s.purpose == purpose) return s;
    }
    slots.push_back(RunLock::Slot{it->second, purpose, false});
    return slots.back();
  }

 private:
  using Key = std::pair<dev_t, ino_t>;
  [[noreturn]] static void fail(const std::string& path) {
    throw Error::runtime("cannot open ledger '" + path + "' to lock it: " + std::strerror(errno));
  }
  std::map<Key, int> fds_;                          // protected by mutex
  std::map<Key, std::list<RunLock::Slot>> slots_;  // protected by mutex; a list keeps addresses
};

bool lockFile(const RunLock::Slot& slot, bool take) {
  if (slot.purpose == LockPurpose::Run) return ::flock(slot.fd, take ? LOCK_EX | LOCK_NB : LOCK_UN) == 0;
  struct flock range {};
  range.l_type = take ? F_WRLCK : F_UNLCK;
  range.l_whence = SEEK_SET;
  range.l_start = kDiscoverLockByte;
  range.l_len = 1;
  return ::fcntl(slot.fd, F_OFD_SETLK, &range) == 0;
}

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

std::string RunLock::describingFile(const std::string& ledger_path, LockPurpose purpose) {
  std::error_code ec;
  auto real = std::filesystem::canonical(ledger_path, ec);
  return (ec ? ledger_path : real.string()) + (purpose == LockPurpose::Run ? ".lock" : ".discover.lock");
}

std::optional<RunLock> RunLock::tryAcquire(const std::string& ledger_path, std::string& holder, LockPurpose purpose) {
  auto& registry = Registry::instance();
  std::unique_lock guard(registry.mutex);
  Slot& slot = registry.slot(ledger_path, purpose);
  if (slot.held) {
    holder = "this process";
    return std::nullopt;
  }
  if (!lockFile(slot, true)) {
    guard.unlock();
    holder = readHolder(describingFile(ledger_path, purpose));
    return std::nullopt;
  }
  slot.held = true;
  guard.unlock();
  describeHolder(describingFile(ledger_path, purpose));
  return RunLock(&slot);
}

std::optional<RunLock> RunLock::acquire(const std::string& ledger_path, Millis patience, std::string& holder,
                                        LockPurpose purpose, const Pause& pause) {
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (true) {
    if (auto lock = tryAcquire(ledger_path, holder, purpose)) return lock;
    if (holder == "this process" || std::chrono::steady_clock::now() >= give_up) return std::nullopt;
    if (!pause) {
      std::this_thread::sleep_for(kRetryEvery);
    } else if (!pause(kRetryEvery)) {
      return std::nullopt;
    }
  }
}

RunLock::RunLock(RunLock&& other) noexcept : slot_(std::exchange(other.slot_, nullptr)) {}

RunLock::~RunLock() {
  if (!slot_) return;
  std::lock_guard guard(Registry::instance().mutex);
  lockFile(*slot_, false);
  slot_->held = false;
}

}  // namespace taskledger::scheduler
