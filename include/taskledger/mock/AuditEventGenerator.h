#pragma once
// CloudAudit events for a generated scenario (`taskledger-mock generate --events`), so that the
// local endpoint's DescribeEvents shows what `discover` should find: one successful API 3.0 CLB
// write event per scenario task (its time, region, action, load balancer and a user), mixed with
// noise that must never become a task: read events, failed calls, API 2.0 ids, other products and
// synchronous CLB actions, dealt in turn. Tasks of kind "unknown" (ids no service knows) get no
// event; a task whose operation answers at once gets its event but is not expected; a
// CreateLoadBalancer names its new load balancer only in its answer (responseElements), as the
// service records it. Deterministic for a seed.
#include <cstdint>
#include <string>
#include <vector>

#include "taskledger/mock/ScenarioGenerator.h"

namespace taskledger::mock {

struct AuditGeneratorOptions {
  int noise = 0;          // noise events, besides the events of the tasks
  std::uint64_t seed = 1;
};

// A task `discover` should record from the events, as it should record it.
struct ExpectedDiscovery {
  std::string request_id, region, operation, resource, actor, source_ip;
  std::int64_t event_time = 0;  // Unix seconds
};

struct GeneratedEvents {
  std::string json;  // a JSON array of events, as DescribeEvents returns them
  std::size_t events = 0;
  std::size_t noise = 0;
  std::vector<ExpectedDiscovery> expected;
};

GeneratedEvents generateAuditEvents(const Generated& scenario, const AuditGeneratorOptions& options);

}  // namespace taskledger::mock
