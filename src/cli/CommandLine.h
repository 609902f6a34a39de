#pragma once
// Shared parsing for every subcommand: its own flags plus the global ones, --help with an
// example, the INI configuration file, TASKLEDGER_DB, and one-line usage errors (exit 2).
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "taskledger/domain/Time.h"

namespace taskledger::cli {

namespace po = boost::program_options;

struct GlobalOptions {
  std::string db = "./taskledger.db";
  std::string config;
  std::string log_format = "text";  // text | json
  bool quiet = false;
  bool verbose = false;
};

// What a subcommand declares about itself; drives parsing and --help.
struct CommandSpec {
  std::string name;        // "import"
  std::string synopsis;    // "import FILE|- [options]"
  std::string summary;     // one line for the command list
  std::string details;     // paragraphs printed by --help after the synopsis
  std::string example;     // printed by --help under "Example:"
};

struct ParsedCommand {
  po::variables_map vm;
  GlobalOptions global;
  bool help_shown = false;  // --help was printed; the command should return 0
};

// Parses args (without the program and command names). `positional` names the positional
// arguments in order ("file"); the last may repeat when `last_repeats`. Throws Error::usage.
ParsedCommand parseCommand(const CommandSpec& spec, po::options_description& options,
                           const std::vector<std::string>& positional, const std::vector<std::string>& args,
                           bool last_repeats = false);

// A duration flag's value, or Error::usage naming the flag ("--timeout: '10x' is not a
// duration; write 90s, 15m, 2h or 7d").
Millis durationFlag(const po::variables_map& vm, const std::string& name);
// The same, and a usage error when shorter than `at_least` ("--give-up-after 0s" would expire
// every task at once).
Millis durationFlag(const po::variables_map& vm, const std::string& name, Millis at_least);

// The global options description (also used for the program's own --help).
po::options_description globalOptionsDescription(GlobalOptions& out);

}  // namespace taskledger::cli
