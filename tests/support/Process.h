#pragma once
// Runs a program the way a user's shell would, for end-to-end tests through the real binary.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taskledger::testing {

struct ProcessResult {
  int exit_code = -1;  // the exit status, or 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::string stdin_data;                       // written to the child's stdin, then closed
  std::map<std::string, std::string> env;       // set (added to the inherited environment)
  std::vector<std::string> unset_env;           // removed from the inherited environment
  std::string cwd;                              // empty: inherit
  int timeout_seconds = 120;                    // the child is killed (SIGKILL) past this
  int uid = -1;                                 // run as this user (needs root); -1: as we are
  std::string shell_prefix;                     // run through /bin/sh with this before the command
                                                // (e.g. "ulimit -f 64;")
};

// Options that only change the environment.
inline ProcessOptions withEnv(std::map<std::string, std::string> env, std::vector<std::string> unset = {}) {
  ProcessOptions o;
  o.env = std::move(env);
  o.unset_env = std::move(unset);
  return o;
}

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the taskledger binary under test with these arguments.
ProcessResult runTaskledger(const std::vector<std::string>& args, const ProcessOptions& options = {});

// Starts a program in the background; stdout/stderr go to the given files (empty: /dev/null).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& stdout_file = "",
                    const std::string& stderr_file = "", const std::map<std::string, std::string>& env = {});
  ~BackgroundProcess();  // SIGKILLs the child if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  int pid() const { return pid_; }
  void signal(int sig);
  // Waits for exit; returns the exit code (128 + signal when killed), nullopt on timeout.
  std::optional<int> wait(int timeout_ms);

 private:
  int pid_ = -1;
  std::optional<int> status_;
};

}  // namespace taskledger::testing
