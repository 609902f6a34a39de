#include "taskledger/report/OutputFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

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

namespace {

struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
};

std::optional<FileId> idOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

std::string canonicalText(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return ec ? path : p.string();
}

// The ledger and every file SQLite or a run keeps beside it. SQLite names its companions after
// the ledger's real path, so both spellings are listed.
struct FamilyFile {
  std::string path;
  std::string suffix;  // "" for the ledger itself
};

std::vector<FamilyFile> ledgerFamily(const std::string& ledger_path) {
  std::vector<FamilyFile> out;
  for (const std::string& base : {ledger_path, canonicalText(ledger_path)}) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal", ".lock", ".discover.lock"}) out.push_back({base + suffix, suffix});
  }
  return out;
}

// The file a write to `path` replaces: symlinks resolved, so the link itself is kept.
std::string resolvedTarget(const std::string& path) {
  std::error_code ec;
  auto real = std::filesystem::canonical(path, ec);
  return ec ? path : real.string();
}

}  // namespace

void checkOutputPath(const std::string& flag, const std::string& path, const std::string& ledger_path) {
  const std::string what = flag + ": '" + path + "' ";
  if (path.empty()) throw Error::usage(flag + ": the path is empty");
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw Error::usage(what + "is a directory; name a file");
  if (exists && !S_ISREG(st.st_mode)) {
    throw Error::usage(what + "is not a regular file (a device or a pipe?); name a file");
  }
  const std::string target = canonicalText(path);
  for (const auto& f : ledgerFamily(ledger_path)) {
    auto id = exists ? idOf(f.path) : std::nullopt;
    const bool same = id ? (id->dev == st.st_dev && id->ino == st.st_ino) : canonicalText(f.path) == target;
    if (same) {
      throw Error::usage(what + (f.suffix.empty() ? "is the ledger" : "is the ledger's " + f.suffix + " file") +
                         "; writing it would destroy the ledger");
    }
  }
  const std::string dir = std::filesystem::path(resolvedTarget(path)).parent_path().string();
  const std::string d = dir.empty() ? "." : dir;
  if (::access(d.c_str(), W_OK | X_OK) != 0) {
    throw Error::usage(what + "cannot be written: directory '" + d + "': " + std::strerror(errno));
  }
}

void writeFileAtomically(const std::string& requested, std::string_view content) {
  const std::string path = resolvedTarget(requested);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw Error::runtime("cannot write '" + requested + "': not a regular file; it is never replaced");
  }
  TempFile tmp(path);
  tmp.write(requested, content);
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
