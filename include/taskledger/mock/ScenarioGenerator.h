#pragma once
// Makes a ledger import file and the scenario that answers it, for tests, benches and the demo
// (`taskledger-mock generate`). Deterministic for a seed, except submitted_at, which is relative
// to `now`.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "taskledger/domain/Time.h"
#include "taskledger/mock/Scenario.h"

namespace taskledger::mock {

struct GeneratorOptions {
  int tasks = 100;
  std::vector<std::string> regions{"ap-guangzhou"};  // tasks are dealt round-robin
  std::uint64_t seed = 1;
  // Relative weights of the kinds of history (need not sum to 1):
  //   succeed               status 2 for checks_each-1 checks, then 0           -> succeeded
  //   fail                  status 2 for checks_each-1 checks, then 1 + Message -> failed
  //   progress-then-succeed status 2 until progress_for after its first check, then 0 -> succeeded
  //   stuck                 status 2 forever                                    -> in_progress
  //   unknown               not in the scenario: InvalidParameter               -> rejected
  //   error                 fixed FailedOperation                               -> rejected
  std::map<std::string, double> mix{{"succeed", 1.0}};
  int checks_each = 1;            // >= 1
  Millis progress_for{3000};
  TimePoint now{};                // submitted_at is spread over the `spread` before it
  Millis spread{10 * 60 * 1000};  // 10 minutes: recent enough that nothing is "stuck" (30m) at once
};

struct GeneratedTask {
  std::string request_id;  // lower-case UUID
  std::string region;
  std::string operation;   // e.g. "CreateLoadBalancer"
  std::string resource;    // e.g. "lb-1a2b3c4d"
  TimePoint submitted_at;
  std::string kind;        // a key of GeneratorOptions::mix
  std::string expect;      // the final state: succeeded, failed, in_progress or rejected
};

struct Generated {
  std::vector<GeneratedTask> tasks;
  Scenario scenario;  // every task but the "unknown" ones, with `expect` filled in

  // request_id,region,operation,resource,submitted_at (ISO-8601 UTC), with a header row.
  std::string csv() const;
};

// Throws taskledger::Error (Usage) for an unknown kind, a negative weight or no positive weight.
Generated generateScenario(const GeneratorOptions& options);

// "succeed=0.7,fail=0.1,stuck=0.2" -> weights; throws taskledger::Error (Usage).
std::map<std::string, double> parseMix(const std::string& text);

}  // namespace taskledger::mock
