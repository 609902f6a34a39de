#pragma once
// The error model at the edges: one exception type carrying a one-line, context-rich message and
// the exit code the program should end with. Adapters translate library exceptions into it.
#include <stdexcept>
#include <string>

#include "taskledger/domain/ExitCode.h"

namespace taskledger {

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

  static Error usage(const std::string& m) { return Error(ExitCode::Usage, m); }
  static Error runtime(const std::string& m) { return Error(ExitCode::Failure, m); }
  static Error badInput(const std::string& m) { return Error(ExitCode::BadInput, m); }

 private:
  ExitCode code_;
};

}  // namespace taskledger
