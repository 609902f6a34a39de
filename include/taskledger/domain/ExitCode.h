#pragma once

namespace taskledger {

// The process exit codes of DESIGN.md; scripts and cron rely on them.
enum class ExitCode : int {
  Ok = 0,
  Failure = 1,          // runtime failure
  Usage = 2,            // bad flags, values or files named on the command line
  ReportMatched = 3,    // report --fail-on found a task in a named class
  BadInput = 65,        // import --strict found bad rows (EX_DATAERR)
  TryLater = 75,        // another run holds the lock, or the endpoint kept refusing (EX_TEMPFAIL)
  AuthRefused = 77,     // credentials refused (EX_NOPERM)
  Interrupted = 130,    // SIGINT
  Terminated = 143,     // SIGTERM
};

}  // namespace taskledger
