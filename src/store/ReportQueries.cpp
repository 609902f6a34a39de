#include "taskledger/store/ReportQueries.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>

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

// The window scan runs on a raw statement: SQLiteCpp hands out a Column per cell (a shared_ptr
// copy each, 14 cells a row), and does not expose its statement; that was a tenth of a
// 100,000-task report (bench/report.sh).
using RawStatement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

RawStatement prepareRaw(Database& db, const std::string& sql, const WindowFilter& f) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3* handle = db.sql().getHandle();
  if (sqlite3_prepare_v2(handle, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    throw Error::runtime("ledger '" + db.path() + "': cannot read the report's window: " + sqlite3_errmsg(handle));
  }
  RawStatement q(stmt, sqlite3_finalize);
  int i = 0;
  const auto bind = [&](const std::string& v) {
    sqlite3_bind_text(stmt, ++i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  bind(formatIsoUtc(f.since));
  bind(formatIsoUtc(f.until));
  for (const std::string* value : {&f.region, &f.profile, &f.operation}) {
    if (!value->empty()) bind(*value);
  }
  return q;
}

std::string_view rawText(sqlite3_stmt* q, int column) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, column));  // NULL for NULL
  if (!p) return {};
  return std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(q, column)));
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

// Steps through a window query whose first column is the task's state, and hands `visit` each
// row with that state read. A failed step or a state no version ever wrote is fatal.
template <class Visit>
void eachRow(Database& db, const RawStatement& q, const char* what, Visit visit) {
  sqlite3_stmt* row = q.get();
  for (int rc = sqlite3_step(row);; rc = sqlite3_step(row)) {
    if (rc == SQLITE_DONE) return;
    if (rc != SQLITE_ROW) {
      throw Error::runtime("ledger '" + db.path() + "': reading " + what + " failed: " +
                           sqlite3_errmsg(db.sql().getHandle()));
    }
    const std::string_view state = rawText(row, 0);
    const auto parsed = parseTaskState(state);
    if (!parsed) {
      throw Error::runtime("ledger '" + db.path() + "' holds an unknown task state '" + std::string(state) + "'");
    }
    visit(row, *parsed);
  }
}

// The unary + keeps SQLite from reading the tasks by state through another index: the window
// bounds the scan, and the states thin it on the index entry itself (migration 0009).
std::string outlineSql(const WindowFilter& f, const std::vector<TaskState>& states) {
  std::string sql = "SELECT state, submitted_at, attempts FROM tasks WHERE submitted_at >= ? AND submitted_at < ?";
  if (!states.empty()) {
    sql += " AND +state IN (";
    for (std::size_t i = 0; i < states.size(); ++i) sql += (i ? ", '" : "'") + std::string(toString(states[i])) + "'";
    sql += ")";
  }
  if (!f.region.empty()) sql += " AND +region = ?";
  if (!f.profile.empty()) sql += " AND +profile = ?";
  if (!f.operation.empty()) sql += " AND +operation = ?";
  return sql;
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
  const RawStatement q = prepareRaw(db_, windowSql(filter), filter);
  WindowTask t;
  eachRow(db_, q, "the report's window", [&](sqlite3_stmt* row, TaskState state) {
    t.state = state;
    t.region = rawText(row, 3);
    const auto submitted = storedTime(rawText(row, 1));
    if (!submitted) {
      t.request_id = rawText(row, 6);
      noteUnreadable(t, unreadableTime("submitted_at", rawText(row, 1)) + "; left out of the report");
      return;
    }
    t.submitted_at = *submitted;
    t.resolved_at.reset();
    if (sqlite3_column_type(row, 2) != SQLITE_NULL) {
      t.resolved_at = storedTime(rawText(row, 2));
      if (!t.resolved_at) {
        t.request_id = rawText(row, 6);
        noteUnreadable(t, unreadableTime("resolved_at", rawText(row, 2)) + "; taken as unresolved");
      }
    }
    t.operation = rawText(row, 4);
    t.profile = rawText(row, 5);
    t.attempts = sqlite3_column_int(row, 11);
    t.actor = rawText(row, 12);
    const bool details = filter.details_of.empty() ||
                         std::find(filter.details_of.begin(), filter.details_of.end(), t.state) != filter.details_of.end();
    t.request_id = details ? rawText(row, 6) : std::string_view();
    t.resource = details ? rawText(row, 7) : std::string_view();
    t.message = details ? rawText(row, 8) : std::string_view();
    t.last_error_code = details ? rawText(row, 9) : std::string_view();
    t.last_error_message = details ? rawText(row, 10) : std::string_view();
    t.source_ip = details ? rawText(row, 13) : std::string_view();
    visit(t);
  });
}

void ReportQueries::forEachOutlineInWindow(const WindowFilter& filter, const std::vector<TaskState>& states,
                                           const std::function<void(const TaskOutline&)>& visit) {
  const RawStatement q = prepareRaw(db_, outlineSql(filter, states), filter);
  TaskOutline t;
  eachRow(db_, q, "the report's previous window", [&](sqlite3_stmt* row, TaskState state) {
    const auto submitted = storedTime(rawText(row, 1));
    if (!submitted) return;
    t.state = state;
    t.submitted_at = *submitted;
    t.attempts = sqlite3_column_int(row, 2);
    visit(t);
  });
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

std::string ReportQueries::planOf(const std::string& sql, const WindowFilter& filter) {
  SQLite::Statement q(db_.sql(), "EXPLAIN QUERY PLAN " + sql);
  bindWindow(q, filter);
  std::string plan;
  while (q.executeStep()) plan += q.getColumn(3).getString() + "\n";
  return plan;
}

std::string ReportQueries::windowScanPlan(const WindowFilter& filter) { return planOf(windowSql(filter), filter); }

std::string ReportQueries::outlineScanPlan(const WindowFilter& filter, const std::vector<TaskState>& states) {
  return planOf(outlineSql(filter, states), filter);
}

ReportQueries::OutOfRange ReportQueries::outOfRange(TimePoint earliest, TimePoint latest, std::size_t show) {
  // Two ranges of the tasks_submitted index, from its two ends: no table scan.
  const std::string where = " FROM tasks WHERE submitted_at < ? OR submitted_at > ?";
  const auto bind = [&](SQLite::Statement& q) {
    q.bind(1, formatIsoUtc(earliest));
    q.bind(2, formatIsoUtc(latest));
  };
  SQLite::Statement count(db_.sql(), "SELECT count(*)" + where);
  bind(count);
  OutOfRange out;
  if (count.executeStep()) out.count = count.getColumn(0).getInt64();
  if (out.count == 0) return out;
  SQLite::Statement q(db_.sql(), "SELECT request_id, region, submitted_at" + where + " ORDER BY submitted_at LIMIT ?");
  bind(q);
  q.bind(3, static_cast<std::int64_t>(show));
  while (q.executeStep()) {
    out.first.push_back(escapeForTerminal(boundedText(q.getColumn(0).getString(), 64)) + " (" +
                        escapeForTerminal(boundedText(q.getColumn(1).getString(), 64)) + ") submitted_at " +
                        escapeForTerminal(boundedText(q.getColumn(2).getString(), 64)));
  }
  return out;
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
