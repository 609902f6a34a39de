#pragma once
// Every subcommand, one function per file in src/cli/, registered in Cli.cpp's table.
#include <string>
#include <vector>

namespace taskledger::cli {

using Args = std::vector<std::string>;

int initCommand(const Args& args);
int importCommand(const Args& args);
int addCommand(const Args& args);
int runCommand(const Args& args);
int reportCommand(const Args& args);
int showCommand(const Args& args);
int requeueCommand(const Args& args);
int pruneCommand(const Args& args);
int discoverCommand(const Args& args);
int credentialsCommand(const Args& args);
int waitCommand(const Args& args);

// The names of the commands in Cli.cpp's table (the sections a configuration file may have).
const std::vector<std::string>& commandNames();

}  // namespace taskledger::cli
