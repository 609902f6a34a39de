#include "taskledger/cli/Cli.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <SQLiteCpp/Exception.h>

#include "Commands.h"
#include "CommandLine.h"
#include "taskledger/domain/Error.h"

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
               "65 bad input (import --strict), 75 try later (locked or refused), 77 credentials refused.\n";
}

// Global options that take a value, so their value is not mistaken for the command name.
bool takesValue(const std::string& arg) {
  return arg == "--db" || arg == "--config" || arg == "--log-format";
}

}  // namespace

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
      return c.run(args);
    } catch (const Error& e) {
      std::cerr << "taskledger " << name << ": " << e.what() << "\n";
      return static_cast<int>(e.code());
    } catch (const SQLite::Exception& e) {
      std::cerr << "taskledger " << name << ": database error: " << e.what() << "\n";
      return static_cast<int>(ExitCode::Failure);
    } catch (const std::exception& e) {
      std::cerr << "taskledger " << name << ": " << e.what() << "\n";
      return static_cast<int>(ExitCode::Failure);
    }
  }
  std::cerr << "taskledger: unknown command '" << name << "'; run 'taskledger --help' for the list\n";
  return static_cast<int>(ExitCode::Usage);
}

}  // namespace taskledger::cli
