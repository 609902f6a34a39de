#include "taskledger/store/TaskRepository.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "RowMapping.h"
#include "taskledger/domain/Text.h"
#include "taskledger/store/LedgerBusy.h"
#include "SqliteTaskWriter.h"

namespace taskledger::store {
namespace {

// What a server answers is stored, but bounded: a hostile or broken endpoint must not grow the
// ledger by megabytes per check. Real codes are under 64 bytes, RequestIds are UUIDs (36), and
// a real Message is a sentence or two.
constexpr std::size_t kMaxCode = 128;
constexpr std::size_t kMaxRequestId = 128;
constexpr std::size_t kMaxHost = 255;
constexpr std::size_t kMaxMessage = 2048;

std::string sql(const std::string& select_columns, const std::string& rest) {
  return "SELECT " + select_columns + " FROM " + rest;
}

}  // namespace

TaskRepository::TaskRepository(Database& db) : db_(db) {}
TaskRepository::~TaskRepository() = default;

std::unique_ptr<TaskWriter> TaskRepository::beginImport(TimePoint now) {
  return busyAware(db_.path(), "an import", [&] { return std::make_unique<SqliteTaskWriter>(db_, now); });
}

std::vector<Task> TaskRepository::dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                                           std::size_t limit, const SkipTask& skip) {
  // One range of the partial index tasks_due, already in due order: stepping stops as soon as
  // `limit` tasks are in, and a skipped row costs its id only, not the mapping of every column.
  SQLite::Statement q(db_.sql(), sql(kTaskColumns,
                                     "tasks INDEXED BY tasks_due WHERE state IN ('pending','in_progress') AND next_check_at <= ?"
                                     " AND profile = ? AND (? = '' OR region = ?) ORDER BY next_check_at"));
  q.bind(1, formatIsoUtc(now));
  q.bind(2, profile);
  q.bind(3, region);
  q.bind(4, region);
  std::vector<Task> out;
  while (out.size() < limit && q.executeStep()) {
    if (skip && skip(q.getColumn(0).getInt64())) continue;
    out.push_back(readTask(q));
  }
  return out;
}

std::vector<std::string> TaskRepository::unresolvedRegions(const std::string& profile) {
  SQLite::Statement q(db_.sql(),
                      "SELECT DISTINCT region FROM tasks WHERE state IN ('pending','in_progress') AND profile = ?"
                      " ORDER BY region");
  q.bind(1, profile);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

std::optional<TimePoint> TaskRepository::nextDueAt(const std::string& profile) {
  SQLite::Statement q(db_.sql(),
                      "SELECT min(next_check_at) FROM tasks WHERE state IN ('pending','in_progress') AND profile = ? AND " +
                          hasTimeShape("next_check_at"));
  q.bind(1, profile);
  q.executeStep();
  return readableTime(q.getColumn(0));
}

std::int64_t TaskRepository::countUnresolved(const std::string& profile) {
  SQLite::Statement q(db_.sql(),
                      "SELECT count(*) FROM tasks WHERE state IN ('pending','in_progress') AND profile = ?");
  q.bind(1, profile);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<std::string> TaskRepository::profilesToRun(TimePoint now, bool any_unresolved) {
  // The partial index tasks_due holds only unresolved rows, already grouped by profile.
  SQLite::Statement q(db_.sql(),
                      "SELECT DISTINCT profile FROM tasks INDEXED BY tasks_due WHERE state IN ('pending','in_progress')"
                      " AND (? OR next_check_at <= ?) ORDER BY profile");
  q.bind(1, any_unresolved ? 1 : 0);
  q.bind(2, formatIsoUtc(now));
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

std::int64_t TaskRepository::expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) {
  return busyAware(db_.path(), "expiring tasks", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks INDEXED BY tasks_unresolved SET state = 'expired', resolved_at = ?"
                        " WHERE state IN ('pending','in_progress') AND profile = ? AND submitted_at < ?3"
                        // The clock starts at submission or at the last requeue; a task never
                        // asked since then is asked before it can expire.
                        " AND (requeued_at IS NULL OR requeued_at < ?3)"
                        " AND last_checked_at IS NOT NULL AND (requeued_at IS NULL OR last_checked_at >= requeued_at)");
    q.bind(1, formatIsoUtc(now));
    q.bind(2, profile);
    q.bind(3, formatIsoUtc(cutoff));
    auto n = q.exec();
    tx.commit();
    return n;
  });
}

void TaskRepository::recordAnswers(const std::vector<AnswerRecord>& records) {
  return busyAware(db_.path(), "recording answers", [&] {
    if (records.empty()) return;
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    if (!insert_check_) {
      insert_check_ = std::make_unique<SQLite::Statement>(
          db_.sql(),
          "INSERT INTO checks(task_id, run_id, checked_at, outcome, message, api_request_id,"
          " latency_ms, endpoint_host) VALUES (?,?,?,?,?,?,?,?)");
      // COALESCE keeps the stored value where the update leaves a field unset (NULL parameter).
      update_task_ = std::make_unique<SQLite::Statement>(
          db_.sql(),
          "UPDATE tasks SET state = ?, last_status = COALESCE(?, last_status),"
          " attempts = attempts + 1, next_check_at = ?, last_checked_at = ?,"
          " resolved_at = COALESCE(?, resolved_at), message = COALESCE(?, message),"
          " load_balancer_ids = COALESCE(?, load_balancer_ids),"
          " last_error_code = COALESCE(?, last_error_code),"
          " last_error_message = COALESCE(?, last_error_message),"
          " last_api_request_id = COALESCE(NULLIF(?, ''), last_api_request_id)"
          " WHERE id = ?");
      count_check_ = std::make_unique<SQLite::Statement>(db_.sql(), "UPDATE tasks SET attempts = attempts + 1 WHERE id = ?");
    }
    SQLite::Statement& check = *insert_check_;
    SQLite::Statement& update = *update_task_;
    for (const auto& r : records) {
      const Check& c = r.check;
      check.reset();
      check.bind(1, c.task_id);
      if (c.run_id) check.bind(2, *c.run_id); else check.bind(2);
      check.bind(3, formatIsoUtc(c.checked_at));
      check.bind(4, boundedText(c.outcome, kMaxCode));
      check.bind(5, boundedText(c.message, kMaxMessage));
      check.bind(6, boundedText(c.api_request_id, kMaxRequestId));
      check.bind(7, c.latency_ms);
      check.bind(8, boundedText(c.endpoint_host, kMaxHost));
      check.exec();

      if (!r.update) {
        // Audited without changing the task (rate limited, resent, region parked): still one of
        // its checks, so that attempts always equals the checks `show` lists.
        count_check_->reset();
        count_check_->bind(1, c.task_id);
        count_check_->exec();
        continue;
      }
      const TaskUpdate& u = *r.update;
      update.reset();
      update.bind(1, std::string(toString(u.state)));
      if (u.last_status) update.bind(2, *u.last_status); else update.bind(2);
      update.bind(3, formatIsoUtc(u.next_check_at));
      update.bind(4, formatIsoUtc(c.checked_at));
      if (u.resolved_at) update.bind(5, formatIsoUtc(*u.resolved_at)); else update.bind(5);
      if (u.message) update.bind(6, boundedText(*u.message, kMaxMessage)); else update.bind(6);
      if (u.load_balancer_ids) update.bind(7, boundedText(joinIds(*u.load_balancer_ids), kMaxMessage)); else update.bind(7);
      if (u.last_error_code) update.bind(8, boundedText(*u.last_error_code, kMaxCode)); else update.bind(8);
      if (u.last_error_message) update.bind(9, boundedText(*u.last_error_message, kMaxMessage)); else update.bind(9);
      update.bind(10, boundedText(c.api_request_id, kMaxRequestId));
      update.bind(11, c.task_id);
      update.exec();
    }
    tx.commit();
  });
}

std::vector<TimePoint> TaskRepository::sendsSince(const std::string& host, TimePoint since) {
  SQLite::Statement q(db_.sql(),
                      "SELECT checked_at FROM checks WHERE endpoint_host = ? AND checked_at >= ? ORDER BY checked_at");
  q.bind(1, host);
  q.bind(2, formatIsoUtc(since));
  std::vector<TimePoint> out;
  while (q.executeStep()) {
    if (auto t = parseIsoTimestamp(q.getColumn(0).getString())) out.push_back(*t);  // garbage paces nothing
  }
  return out;
}

std::int64_t TaskRepository::countChecks(std::int64_t task_id, const std::string& outcome) {
  SQLite::Statement q(db_.sql(), "SELECT count(*) FROM checks WHERE task_id = ? AND outcome = ?");
  q.bind(1, task_id);
  q.bind(2, outcome);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void TaskRepository::recordParkedRegion(std::int64_t run_id, const ParkedRegionRecord& p) {
  busyAware(db_.path(), "recording a parked region", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO parked_regions(run_id, profile, region, code, message, parked_at)"
                        " VALUES (?,?,?,?,?,?)");
    q.bind(1, run_id);
    q.bind(2, p.profile);
    q.bind(3, p.region);
    q.bind(4, p.code);
    q.bind(5, p.message);
    q.bind(6, formatIsoUtc(p.parked_at));
    q.exec();
    tx.commit();
  });
}

std::int64_t TaskRepository::beginRun(const RunRecord& run) {
  return busyAware(db_.path(), "starting a run", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_.sql(), "INSERT INTO runs(started_at, host, pid, profile) VALUES (?,?,?,?)");
    q.bind(1, formatIsoUtc(run.started_at));
    q.bind(2, run.host);
    q.bind(3, run.pid);
    q.bind(4, run.profile);
    q.exec();
    auto id = db_.sql().getLastInsertRowid();
    tx.commit();
    return id;
  });
}

void TaskRepository::finishRun(std::int64_t run_id, TimePoint finished_at, const RunStats& s,
                               const std::string& exit_reason) {
  return busyAware(db_.path(), "closing a run", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_.sql(),
                        "UPDATE runs SET finished_at = ?, checked = ?, resolved = ?, errors = ?, rate_limited = ?,"
                        " exit_reason = ? WHERE id = ?");
    q.bind(1, formatIsoUtc(finished_at));
    q.bind(2, s.checked);
    q.bind(3, s.resolved);
    q.bind(4, s.errors);
    q.bind(5, s.rate_limited);
    q.bind(6, exit_reason);
    q.bind(7, run_id);
    q.exec();
    tx.commit();
  });
}

std::vector<Task> TaskRepository::findByRequestId(const std::string& request_id) {
  SQLite::Statement q(db_.sql(), sql(kTaskColumns, "tasks WHERE request_id = ? ORDER BY profile, region"));
  q.bind(1, request_id);
  std::vector<Task> out;
  while (q.executeStep()) out.push_back(readTask(q));
  return out;
}

std::vector<Check> TaskRepository::checksOf(std::int64_t task_id) {
  SQLite::Statement q(db_.sql(), sql(kCheckColumns, "checks WHERE task_id = ? ORDER BY checked_at, id"));
  q.bind(1, task_id);
  std::vector<Check> out;
  while (q.executeStep()) out.push_back(readCheck(q));
  return out;
}

std::map<TaskState, std::int64_t> TaskRepository::countsByState(const std::string& profile) {
  SQLite::Statement q(db_.sql(), "SELECT state, count(*) FROM tasks WHERE (? = '' OR profile = ?) GROUP BY state");
  q.bind(1, profile);
  q.bind(2, profile);
  std::map<TaskState, std::int64_t> out;
  for (TaskState s : kAllTaskStates) out[s] = 0;
  while (q.executeStep()) {
    if (auto s = parseTaskState(q.getColumn(0).getString())) out[*s] = q.getColumn(1).getInt64();
  }
  return out;
}

std::optional<RunRecord> TaskRepository::lastRun() {
  SQLite::Statement q(db_.sql(),
                      "SELECT id, started_at, finished_at, host, pid, profile, checked, resolved, errors,"
                      " rate_limited, exit_reason FROM runs ORDER BY id DESC LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  RunRecord r;
  r.id = q.getColumn(0).getInt64();
  // A garbled run row says less, but the commands that show it go on.
  r.started_at = parseIsoTimestamp(q.getColumn(1).getString()).value_or(TimePoint{});
  if (!q.getColumn(2).isNull()) r.finished_at = parseIsoTimestamp(q.getColumn(2).getString());
  r.host = q.getColumn(3).getString();
  r.pid = q.getColumn(4).getInt64();
  r.profile = q.getColumn(5).getString();
  r.stats = {q.getColumn(6).getInt64(), q.getColumn(7).getInt64(), q.getColumn(8).getInt64(),
             q.getColumn(9).getInt64()};
  r.exit_reason = q.getColumn(10).getString();
  return r;
}

std::optional<TimePoint> TaskRepository::lastCleanRunFinishedAt() {
  SQLite::Statement q(db_.sql(),
                      "SELECT max(finished_at) FROM runs WHERE exit_reason IN ('done','budget','nothing due') AND " +
                          hasTimeShape("finished_at"));
  q.executeStep();
  return readableTime(q.getColumn(0));
}

std::int64_t TaskRepository::countUnresolvedSubmittedBefore(const std::string& profile, TimePoint cutoff) {
  SQLite::Statement q(db_.sql(),
                      "SELECT count(*) FROM tasks INDEXED BY tasks_unresolved WHERE state IN ('pending','in_progress')"
                      " AND profile = ? AND submitted_at < ?");
  q.bind(1, profile);
  q.bind(2, formatIsoUtc(cutoff));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::int64_t TaskRepository::requeue(std::optional<TaskState> state, const std::string& request_id, TimePoint now) {
  return busyAware(db_.path(), "requeueing", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    // A requeued task is asked again from scratch: pending, due now, not resolved.
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks SET state = 'pending', next_check_at = ?1, resolved_at = NULL, requeued_at = ?1"
                        " WHERE (? = '' AND state IN ('rejected','expired') OR state = ?)"
                        " AND (? = '' OR request_id = ?)");
    q.bind(1, formatIsoUtc(now));
    std::string s = state ? std::string(toString(*state)) : "";
    q.bind(2, s);
    q.bind(3, s);
    q.bind(4, request_id);
    q.bind(5, request_id);
    auto n = q.exec();
    tx.commit();
    return n;
  });
}

std::int64_t TaskRepository::pruneResolvedBefore(TimePoint cutoff) {
  return busyAware(db_.path(), "pruning", [&] {
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_.sql(),
                        "DELETE FROM tasks WHERE state IN ('succeeded','failed','rejected','expired')"
                        " AND resolved_at < ?");
    q.bind(1, formatIsoUtc(cutoff));
    auto n = q.exec();  // checks go with them (ON DELETE CASCADE)
    tx.commit();
    return n;
  });
}

}  // namespace taskledger::store
