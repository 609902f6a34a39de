#pragma once

namespace taskledger::cli {

// The whole program: parses the command line, runs one subcommand, returns the exit code.
// Errors are printed as one line on stderr; nothing escapes as an exception.
int runCli(int argc, char** argv);

}  // namespace taskledger::cli
