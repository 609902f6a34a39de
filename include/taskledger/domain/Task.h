#pragma once
// Plain values for the ledger's rows. No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/TaskState.h"
#include "taskledger/domain/Time.h"

namespace taskledger {

// A task as the importer or `add` submits it.
struct NewTask {
  std::string profile = "default";
  std::string region;
  std::string request_id;  // lower-case UUID
  std::string operation;
  std::string resource;
  std::string source;  // "file.csv:12" or "add"
  std::optional<TimePoint> submitted_at;  // defaults to the import time when absent
  // Who made the call and from where (tasks found by `discover`); empty otherwise.
  std::string actor;      // the user name, else the principal id
  std::string source_ip;
  // The order id a prepaid purchase (CreateLoadBalancer) answered with; empty otherwise.
  std::string deal_name;
};

// A row of `tasks`.
struct Task {
  std::int64_t id = 0;
  std::string profile;
  std::string region;
  std::string request_id;
  std::string operation;
  std::string resource;
  std::string source;
  TimePoint submitted_at{};
  TimePoint imported_at{};
  TaskState state = TaskState::Pending;
  std::optional<int> last_status;
  int attempts = 0;
  TimePoint next_check_at{};
  std::optional<TimePoint> last_checked_at;
  std::optional<TimePoint> resolved_at;
  std::string message;
  std::vector<std::string> load_balancer_ids;
  std::string last_error_code;
  std::string last_error_message;
  std::string last_api_request_id;
  std::string actor;      // who made the call ("" unless found by `discover`)
  std::string source_ip;
  std::string deal_name;  // a prepaid CreateLoadBalancer's order id ("" when none)
  // The row's times that are not times (garbage or a five-digit year an older version wrote), each
  // with the value used instead, e.g. "submitted_at '58902-01-01T00:00:00.000Z' is not a time (taken
  // as imported_at)"; empty for a sound row. One bad row is reported with its task, never fatal.
  std::string unreadable;
};

// A row of `checks`: one answered (or failed) API call about one task.
struct Check {
  std::int64_t id = 0;
  std::int64_t task_id = 0;
  std::optional<std::int64_t> run_id;
  TimePoint checked_at{};
  std::string outcome;  // "status:0", "status:1", "status:2" or an error code
  std::string message;
  std::string api_request_id;
  std::int64_t latency_ms = 0;
  std::string endpoint_host;
};

}  // namespace taskledger
