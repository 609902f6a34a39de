#pragma once
// How Task and Check values map to rows: shared by the store's classes, private to src/store/.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskledger/domain/Task.h"

namespace taskledger::store {

// The columns readTask() expects, in order.
inline constexpr const char* kTaskColumns =
    "id, profile, region, request_id, operation, resource, source, submitted_at, imported_at, state,"
    " last_status, attempts, next_check_at, last_checked_at, resolved_at, message, load_balancer_ids,"
    " last_error_code, last_error_message, last_api_request_id, actor, source_ip, deal_name";

Task readTask(SQLite::Statement& q);
Check readCheck(SQLite::Statement& q);  // columns of kCheckColumns
inline constexpr const char* kCheckColumns =
    "id, task_id, run_id, checked_at, outcome, message, api_request_id, latency_ms, endpoint_host";

// An SQL condition true when `column` has the stored time form's shape: min() and max() over a
// column must not pick garbage an older version wrote (which sorts after digits, or "" before).
inline std::string hasTimeShape(const std::string& column) {
  return column + " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'";
}
// Why a stored `column` value is not a time, for messages: "submitted_at '...' is not a time";
// the value is bounded and made printable.
std::string unreadableTime(const char* column, std::string_view text);
// The column's time; nullopt for NULL and for text that is not a time (nothing is worth failing a
// command for a garbled value of min() or max()).
std::optional<TimePoint> readableTime(const SQLite::Column& c);
// Load balancer ids are stored comma-separated (ids never contain commas).
std::string joinIds(const std::vector<std::string>& ids);
std::vector<std::string> splitIds(const std::string& text);

}  // namespace taskledger::store
