#include "taskledger/cli/Cli.h"

int main(int argc, char** argv) { return taskledger::cli::runCli(argc, argv); }
