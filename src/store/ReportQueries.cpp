#include "taskledger/store/ReportQueries.h"

#include <SQLiteCpp/Statement.h>

#include <chrono>

#include "RowMapping.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"

namespace taskledger::store {
namespace {

int number(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// The window scan decodes two timestamps per task: the stored form "YYYY-MM-DDTHH:MM:SS.mmmZ"
// is read here with calendar arithmetic, 5 to 15 times faster than parseIsoTimestamp's timegm
// (measured: that alone was a quarter of a 100,000-task report). Any other form goes the
// general way; nullopt for text that is not a time.
std::optional<TimePoint> storedTime(std::string_view s) {
  if (s.size() == 24 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
      s[19] == '.' && s[23] == 'Z') {
    int y = number(s, 0, 4), mo = number(s, 5, 2), d = number(s, 8, 2), h = number(s, 11, 2),
        mi = number(s, 14, 2), sec = number(s, 17, 2), ms = number(s, 20, 3);
    if (y >= 0 && mo >= 0 && d >= 0 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59 &&
        ms >= 0) {
      using namespace std::chrono;
      const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
      if (date.ok()) return TimePoint(sys_days{date}) + hours{h} + minutes{mi} + seconds{sec} + Millis(ms);
    }
  }
  return parseIsoTimestamp(s);
}

std::string_view text(SQLite::Statement& q, int column) {
  const SQLite::Column c = q.getColumn(column);
  const char* p = c.getText();  // "" for NULL; getBytes() must follow getText()
  return std::string_view(p, static_cast<std::size_t>(c.getBytes()));
}

// The filter columns carry a unary + so that SQLite never picks the (profile, region,
// request_id) index over tasks_submitted: the window bounds the scan, the filters only thin it.
std::string windowSql(const WindowFilter& f) {
  std::string sql =
      "SELECT state, submitted_at, resolved_at, region, operation, profile, request_id, resource,"
      " message, last_error_code, last_error_message, attempts, actor, source_ip"
      " FROM tasks WHERE submitted_at >= ? AND submitted_at < ?";
  if (!f.region.empty()) sql += " AND +region = ?";
  if (!f.profile.empty()) sql += " AND +profile = ?";
  if (!f.operation.empty()) sql += " AND +operation = ?";
  return sql + " ORDER BY submitted_at, id";
}

void bindWindow(SQLite::Statement& q, const WindowFilter& f) {
  int i = 0;
  q.bind(++i, formatIsoUtc(f.since));
  q.bind(++i, formatIsoUtc(f.until));
  for (const std::string* value : {&f.region, &f.profile, &f.operation}) {
    if (!value->empty()) q.bind(++i, *value);
  }
}

}  // namespace

void ReportQueries::forEachTaskInWindow(const WindowFilter& filter,
                                        const std::function<void(const WindowTask&)>& visit) {
  SQLite::Statement q(db_.sql(), windowSql(filter));
  bindWindow(q, filter);
  WindowTask t;
  while (q.executeStep()) {
    const std::string_view state = text(q, 0);
    const auto parsed = parseTaskState(state);
    if (!parsed) {
      throw Error::runtime("ledger '" + db_.path() + "' holds an unknown task state '" + std::string(state) + "'");
    }
    t.state = *parsed;
    t.request_id = text(q, 6);
    t.region = text(q, 3);
    const auto submitted = storedTime(text(q, 1));
    if (!submitted) {
      noteUnreadable(t, unreadableTime("submitted_at", text(q, 1)) + "; left out of the report");
      continue;
    }
    t.submitted_at = *submitted;
    t.resolved_at.reset();
    if (!q.getColumn(2).isNull()) {
      t.resolved_at = storedTime(text(q, 2));
      if (!t.resolved_at) noteUnreadable(t, unreadableTime("resolved_at", text(q, 2)) + "; taken as unresolved");
    }
    t.operation = text(q, 4);
    t.profile = text(q, 5);
    t.resource = text(q, 7);
    t.message = text(q, 8);
    t.last_error_code = text(q, 9);
    t.last_error_message = text(q, 10);
    t.attempts = q.getColumn(11).getInt();
    t.actor = text(q, 12);
    t.source_ip = text(q, 13);
    visit(t);
  }
}

void ReportQueries::noteUnreadable(const WindowTask& t, const std::string& why) {
  if (unreadable_.size() < kMaxUnreadableNoted) {
    unreadable_.push_back("task " + escapeForTerminal(boundedText(t.request_id, 64)) + " (" +
                          escapeForTerminal(boundedText(t.region, 64)) + "): " + why);
  }
}

std::vector<ParkedRow> ReportQueries::parkedRegions(const WindowFilter& filter) {
  std::string sql =
      "SELECT run_id, profile, region, code, message, parked_at FROM parked_regions"
      " WHERE parked_at >= ? AND parked_at < ?";
  if (!filter.region.empty()) sql += " AND region = ?";
  if (!filter.profile.empty()) sql += " AND profile = ?";
  SQLite::Statement q(db_.sql(), sql + " ORDER BY parked_at, id");
  int i = 0;
  q.bind(++i, formatIsoUtc(filter.since));
  q.bind(++i, formatIsoUtc(filter.until));
  for (const std::string* value : {&filter.region, &filter.profile}) {
    if (!value->empty()) q.bind(++i, *value);
  }
  std::vector<ParkedRow> rows;
  while (q.executeStep()) {
    const auto parked_at = storedTime(text(q, 5));
    if (!parked_at) continue;  // our own row, garbled: the tasks' counts still stand
    rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                    q.getColumn(3).getString(), q.getColumn(4).getString(), *parked_at});
  }
  return rows;
}

std::string ReportQueries::windowScanPlan(const WindowFilter& filter) {
  SQLite::Statement q(db_.sql(), "EXPLAIN QUERY PLAN " + windowSql(filter));
  bindWindow(q, filter);
  std::string plan;
  while (q.executeStep()) plan += q.getColumn(3).getString() + "\n";
  return plan;
}

std::vector<std::string> ReportQueries::knownValues(const std::string& column, std::size_t limit) {
  if (column != "region" && column != "profile" && column != "operation") return {};
  SQLite::Statement q(db_.sql(), "SELECT DISTINCT " + column + " FROM tasks ORDER BY 1 LIMIT ?");
  q.bind(1, static_cast<std::int64_t>(limit));
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

bool ReportQueries::anyTaskWith(const std::string& column, const std::string& value) {
  if (column != "region" && column != "profile" && column != "operation") return false;
  SQLite::Statement q(db_.sql(), "SELECT 1 FROM tasks WHERE " + column + " = ? LIMIT 1");
  q.bind(1, value);
  return q.executeStep();
}

}  // namespace taskledger::store
