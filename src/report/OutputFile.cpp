#include "taskledger/report/OutputFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "taskledger/domain/Error.h"

namespace taskledger::report {
namespace {

// Closes the descriptor and removes the temporary file unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(const std::string& target) {
    // O_EXCL with the pid and an attempt number: no race with another writer, and unlike
    // mkstemp the file is created 0666 less the umask, as the report file should be.
    for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
      path_ = target + ".tmp." + std::to_string(getpid()) + "." + std::to_string(attempt);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ < 0 && errno != EEXIST) break;
    }
    if (fd_ < 0) fail(target, "cannot create a file beside it");
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const std::string& target, std::string_view content) {
    while (!content.empty()) {
      ssize_t n = ::write(fd_, content.data(), content.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(target, "write failed");
      content.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd_) != 0) fail(target, "fsync failed");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(target, "close failed");
  }

  void renameTo(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) fail(target, "rename failed");
    renamed_ = true;
  }

 private:
  [[noreturn]] static void fail(const std::string& target, const std::string& what) {
    throw Error::runtime("cannot write '" + target + "': " + what + ": " + std::strerror(errno));
  }

  std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

}  // namespace

void writeFileAtomically(const std::string& path, std::string_view content) {
  TempFile tmp(path);
  tmp.write(path, content);
  tmp.renameTo(path);
  // Best effort: makes the rename itself durable; the file is complete either way.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace taskledger::report
