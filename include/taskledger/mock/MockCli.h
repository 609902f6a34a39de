#pragma once
// The `taskledger-mock` command line: `serve` and `generate`. main() only calls this.
namespace taskledger::mock {

// Returns the process exit code (0 ok, 1 runtime failure, 2 usage). `serve` runs until SIGINT or
// SIGTERM, then writes its stats file and returns 0.
int runMockCli(int argc, char** argv);

}  // namespace taskledger::mock
