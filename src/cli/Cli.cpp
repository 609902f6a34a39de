#include "taskledger/cli/Cli.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <SQLiteCpp/Exception.h>

#include "Commands.h"
#include "CommandLine.h"
#include "StopSignals.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"

#ifndef TASKLEDGER_VERSION
#define TASKLEDGER_VERSION "0.0.0"
#endif

namespace taskledger::cli {
namespace {

struct CommandEntry {
  const char* name;
  const char* summary;
  int (*run)(const Args&);
};

constexpr CommandEntry kCommands[] = {
    {"init", "create or migrate the ledger database", initCommand},
    {"import", "add request ids from a CSV file (or - for stdin)", importCommand},
    {"add", "add one request id", addCommand},
    {"run", "poll the due tasks' status (what cron runs)", runCommand},
    {"report", "the end-of-day audit report", reportCommand},
    {"show", "one task and its check history", showCommand},
    {"requeue", "make rejected, expired or failed tasks due again", requeueCommand},
    {"prune", "delete resolved tasks older than an age", pruneCommand},
    {"discover", "add the asynchronous CLB changes CloudAudit recorded", discoverCommand},
    {"credentials", "which credentials a run would use (never the key)", credentialsCommand},
    {"wait", "wait until given request ids are resolved (for deploy scripts)", waitCommand},
};

void printProgramHelp() {
  std::cout << "taskledger " << TASKLEDGER_VERSION
            << ": confirms that asynchronous Tencent Cloud CLB changes really finished.\n\n"
               "Usage: taskledger COMMAND [options]\n\nCommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    std::cout << "  " << name << std::string(16 - name.size(), ' ') << c.summary << "\n";
  }
  GlobalOptions g;
  std::cout << "\n" << globalOptionsDescription(g)
            << "  --version                 print the version\n\n"
               "Run 'taskledger COMMAND --help' for a command's options and an example.\n\n"
               "Example (what cron runs every five minutes):\n"
               "  taskledger --db /var/lib/taskledger/ledger.db run --max-duration 4m\n\n"
               "Exit codes: 0 done, 1 runtime failure, 2 usage error, 3 report --fail-on matched,\n"
               "65 bad input (an unusable import file, or import --strict found bad rows), 75 try later\n"
               "(locked, busy or refused), 77 credentials refused.\n";
}

// Global options that take a value, so their value is not mistaken for the command name.
bool takesValue(const std::string& arg) {
  return arg == "--db" || arg == "--config" || arg == "--log-format";
}

// Output that was not written is a failure, not a quiet exit 0 (stdout to a full disk, a closed
// pipe): every byte of stdout is flushed and checked before the exit code is returned.
int checkedStdout(const std::string& name, int code) {
  errno = 0;
  std::cout.flush();
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout;
  if (!failed) return code;
  // The reason (errno) is usually gone by now: the failing write happened inside the command.
  const int err = errno;
  std::cerr << "taskledger " << name << ": cannot write to standard output"
            << (err ? std::string(": ") + std::strerror(err) : std::string(" (a full disk or a closed pipe?)"))
            << "\n";
  return code == 0 ? static_cast<int>(ExitCode::Failure) : code;
}

}  // namespace

const std::vector<std::string>& commandNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : kCommands) out.emplace_back(c.name);
    return out;
  }();
  return names;
}

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::size_t cmd_index = args.size();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--version") {
      std::cout << "taskledger " << TASKLEDGER_VERSION << "\n";
      return 0;
    }
    if (a == "--help" || a == "-h") break;
    if (takesValue(a)) {
      ++i;
      continue;
    }
    if (a.empty() || a[0] != '-') {
      cmd_index = i;
      break;
    }
  }
  if (cmd_index == args.size()) {
    bool asked = !args.empty() && (args[0] == "--help" || args[0] == "-h" ||
                                   std::find(args.begin(), args.end(), "--help") != args.end());
    printProgramHelp();
    if (!asked) {
      std::cerr << "taskledger: no command given\n";
      return static_cast<int>(ExitCode::Usage);
    }
    return 0;
  }
  const std::string name = args[cmd_index];
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(cmd_index));
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    try {
      return exitAfterStop(checkedStdout(name, c.run(args)));
    } catch (const Error& e) {
      std::cerr << "taskledger " << name << ": " << escapeForTerminal(e.what()) << "\n";
      return exitAfterStop(static_cast<int>(e.code()));
    } catch (const SQLite::Exception& e) {
      std::cerr << "taskledger " << name << ": database error: " << escapeForTerminal(e.what()) << "\n";
      return static_cast<int>(ExitCode::Failure);
    } catch (const std::exception& e) {
      std::cerr << "taskledger " << name << ": " << escapeForTerminal(e.what()) << "\n";
      return exitAfterStop(static_cast<int>(ExitCode::Failure));
    }
  }
  std::cerr << "taskledger: unknown command '" << name << "'; run 'taskledger --help' for the list\n";
  return static_cast<int>(ExitCode::Usage);
}

}  // namespace taskledger::cli
