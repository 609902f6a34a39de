#include "support/Process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace taskledger::testing {
namespace {

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Everything a child needs to exec, built before fork. The test binaries fork from many threads
// at once (LedgerUnderFire runs fourteen), so between fork and exec the child may only make
// async-signal-safe calls: an allocation or setenv there can wait forever on a lock another
// thread held at the moment of the fork (seen under AddressSanitizer: a child hung before exec).
class ExecImage {
 public:
  ExecImage(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::vector<std::string>& unset) : args_(argv) {
    for (char** e = environ; *e; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('='));
      if (env.count(name) || std::find(unset.begin(), unset.end(), name) != unset.end()) continue;
      env_.push_back(entry);
    }
    for (const auto& [k, v] : env) env_.push_back(k + "=" + v);
    argv_ = pointers(args_);
    envp_ = pointers(env_);
  }

  [[noreturn]] void exec() const {
    execve(argv_[0], argv_.data(), envp_.data());
    _exit(127);
  }

 private:
  static std::vector<char*> pointers(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
  }

  std::vector<std::string> args_, env_;
  std::vector<char*> argv_, envp_;
};

// A pipe whose ends close on exec, so a child started by another thread at the same moment does
// not inherit it: an inherited write end keeps a reader from seeing the end of the output until
// that unrelated child exits.
void cloexecPipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  std::vector<std::string> wrapped = argv;
  if (!options.shell_prefix.empty()) {
    std::string cmd = options.shell_prefix + " exec";
    for (const auto& a : argv) cmd += " '" + a + "'";
    wrapped = {"/bin/sh", "-c", cmd};
  }
  const ExecImage image(wrapped, options.env, options.unset_env);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  cloexecPipe(in_pipe);
  cloexecPipe(out_pipe);
  cloexecPipe(err_pipe);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {  // async-signal-safe calls only, up to exec
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    if (options.uid >= 0 && (setgid(static_cast<gid_t>(options.uid)) != 0 || setuid(static_cast<uid_t>(options.uid)) != 0)) _exit(125);
    image.exec();
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  signal(SIGPIPE, SIG_IGN);

  ProcessResult result;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, n, 200) <= 0) continue;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, options.stdin_data.data() + written, options.stdin_data.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 || written == options.stdin_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      std::string& target = fds[i].fd == out_pipe[0] ? result.out : result.err;
      if (r > 0) {
        target.append(buf, static_cast<std::size_t>(r));
      } else {
        (fds[i].fd == out_pipe[0] ? out_open : err_open) = false;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = decodeStatus(status);
  return result;
}

ProcessResult runTaskledger(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{TASKLEDGER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, options);
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const std::string& stdout_file,
                                     const std::string& stderr_file, const std::map<std::string, std::string>& env) {
  const ExecImage image(argv, env, {});
  const auto openCloexec = [](const std::string& path, int flags) {
    const int fd = open(path.empty() ? "/dev/null" : path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    return fd;
  };
  const int in = openCloexec("", O_RDONLY);
  const int out = openCloexec(stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
  const int err = openCloexec(stderr_file, O_WRONLY | O_CREAT | O_TRUNC);
  pid_ = fork();
  if (pid_ == 0) {  // async-signal-safe calls only, up to exec
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    image.exec();
  }
  for (int fd : {in, out, err}) close(fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

BackgroundProcess::~BackgroundProcess() {
  if (!status_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void BackgroundProcess::signal(int sig) {
  if (!status_) kill(pid_, sig);
}

std::optional<int> BackgroundProcess::wait(int timeout_ms) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = decodeStatus(status);
      return status_;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a child process, not faking time
  }
}

}  // namespace taskledger::testing
