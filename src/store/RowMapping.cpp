#include "RowMapping.h"

#include "taskledger/domain/Text.h"

namespace taskledger::store {

std::string unreadableTime(const char* column, std::string_view text) {
  constexpr std::size_t kMaxQuoted = 40;  // the stored form is 24 characters
  return std::string(column) + " '" + escapeForTerminal(boundedText(text, kMaxQuoted)) + "' is not a time";
}

std::optional<TimePoint> readableTime(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return parseIsoTimestamp(c.getString());
}

std::string joinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::vector<std::string> splitIds(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

namespace {

// Column `index` of a task row as a time; nullopt for NULL, and for text that is not a time, which
// is noted in t.unreadable with `instead`, what the task goes on with.
std::optional<TimePoint> taskTime(SQLite::Statement& q, int index, Task& t, const char* instead) {
  const SQLite::Column c = q.getColumn(index);
  if (c.isNull()) return std::nullopt;
  const std::string text = c.getString();
  if (auto time = parseIsoTimestamp(text)) return time;
  if (!t.unreadable.empty()) t.unreadable += "; ";
  t.unreadable += unreadableTime(c.getName(), text) + " (" + instead + ")";
  return std::nullopt;
}

}  // namespace

Task readTask(SQLite::Statement& q) {
  Task t;
  t.id = q.getColumn(0).getInt64();
  t.profile = q.getColumn(1).getString();
  t.region = q.getColumn(2).getString();
  t.request_id = q.getColumn(3).getString();
  t.operation = q.getColumn(4).getString();
  t.resource = q.getColumn(5).getString();
  t.source = q.getColumn(6).getString();
  // Times read before the rest so that each bad one is taken as a sound neighbour.
  const auto submitted = taskTime(q, 7, t, "taken as imported_at");
  const auto imported = taskTime(q, 8, t, "taken as submitted_at");
  t.submitted_at = submitted.value_or(imported.value_or(TimePoint{}));
  t.imported_at = imported.value_or(t.submitted_at);
  t.state = parseTaskState(q.getColumn(9).getString()).value_or(TaskState::Pending);
  if (!q.getColumn(10).isNull()) t.last_status = q.getColumn(10).getInt();
  t.attempts = q.getColumn(11).getInt();
  // Due at once: the answer rewrites it.
  t.next_check_at = taskTime(q, 12, t, "due now").value_or(TimePoint{});
  t.last_checked_at = taskTime(q, 13, t, "taken as never");
  t.resolved_at = taskTime(q, 14, t, "taken as unresolved");
  t.message = q.getColumn(15).getString();
  t.load_balancer_ids = splitIds(q.getColumn(16).getString());
  t.last_error_code = q.getColumn(17).getString();
  t.last_error_message = q.getColumn(18).getString();
  t.last_api_request_id = q.getColumn(19).getString();
  t.actor = q.getColumn(20).getString();
  t.source_ip = q.getColumn(21).getString();
  t.deal_name = q.getColumn(22).getString();
  return t;
}

Check readCheck(SQLite::Statement& q) {
  Check c;
  c.id = q.getColumn(0).getInt64();
  c.task_id = q.getColumn(1).getInt64();
  if (!q.getColumn(2).isNull()) c.run_id = q.getColumn(2).getInt64();
  c.outcome = q.getColumn(4).getString();
  c.message = q.getColumn(5).getString();
  const std::string checked = q.getColumn(3).getString();
  if (auto t = parseIsoTimestamp(checked)) {
    c.checked_at = *t;
  } else {  // the check is still worth showing; its message says why the time is 1970
    c.message = unreadableTime("checked_at", checked) + (c.message.empty() ? "" : "; " + c.message);
  }
  c.api_request_id = q.getColumn(6).getString();
  c.latency_ms = q.getColumn(7).getInt64();
  c.endpoint_host = q.getColumn(8).getString();
  return c;
}

}  // namespace taskledger::store
