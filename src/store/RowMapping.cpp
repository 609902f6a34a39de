#include "RowMapping.h"

#include "taskledger/domain/Error.h"

namespace taskledger::store {

TimePoint parseStoredTime(const std::string& text) {
  auto t = parseIsoTimestamp(text);
  if (!t) throw Error::runtime("ledger holds a malformed timestamp '" + text + "'");
  return *t;
}

std::optional<TimePoint> parseStoredTime(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return parseStoredTime(c.getString());
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

Task readTask(SQLite::Statement& q) {
  Task t;
  t.id = q.getColumn(0).getInt64();
  t.profile = q.getColumn(1).getString();
  t.region = q.getColumn(2).getString();
  t.request_id = q.getColumn(3).getString();
  t.operation = q.getColumn(4).getString();
  t.resource = q.getColumn(5).getString();
  t.source = q.getColumn(6).getString();
  t.submitted_at = parseStoredTime(q.getColumn(7).getString());
  t.imported_at = parseStoredTime(q.getColumn(8).getString());
  t.state = parseTaskState(q.getColumn(9).getString()).value_or(TaskState::Pending);
  if (!q.getColumn(10).isNull()) t.last_status = q.getColumn(10).getInt();
  t.attempts = q.getColumn(11).getInt();
  t.next_check_at = parseStoredTime(q.getColumn(12).getString());
  t.last_checked_at = parseStoredTime(q.getColumn(13));
  t.resolved_at = parseStoredTime(q.getColumn(14));
  t.message = q.getColumn(15).getString();
  t.load_balancer_ids = splitIds(q.getColumn(16).getString());
  t.last_error_code = q.getColumn(17).getString();
  t.last_error_message = q.getColumn(18).getString();
  t.last_api_request_id = q.getColumn(19).getString();
  t.actor = q.getColumn(20).getString();
  t.source_ip = q.getColumn(21).getString();
  return t;
}

Check readCheck(SQLite::Statement& q) {
  Check c;
  c.id = q.getColumn(0).getInt64();
  c.task_id = q.getColumn(1).getInt64();
  if (!q.getColumn(2).isNull()) c.run_id = q.getColumn(2).getInt64();
  c.checked_at = parseStoredTime(q.getColumn(3).getString());
  c.outcome = q.getColumn(4).getString();
  c.message = q.getColumn(5).getString();
  c.api_request_id = q.getColumn(6).getString();
  c.latency_ms = q.getColumn(7).getInt64();
  c.endpoint_host = q.getColumn(8).getString();
  return c;
}

}  // namespace taskledger::store
