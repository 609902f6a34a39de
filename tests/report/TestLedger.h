#pragma once
// Ledgers for the report's tests, written with plain SQL so that every column (state, times,
// attempts, errors) is exactly what the test says; runs go through TaskRepository.
#include <SQLiteCpp/Statement.h>

#include <cstdio>
#include <optional>
#include <string>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::testing {

// One task row; what a test does not set has an everyday value (a succeeded task in ap-guangzhou).
// LedgerTask(1, "2026-03-10T11:30:00.000Z").state("pending").attempts(3)
class LedgerTask {
 public:
  // `n` becomes the request id 00000000-0000-4000-8000-00000000000n; times are in stored form.
  LedgerTask(int n, std::string submitted_at) : n_(n), submitted_at_(std::move(submitted_at)) {}

  LedgerTask& region(std::string v) { return set(region_, std::move(v)); }
  LedgerTask& state(std::string v) { return set(state_, std::move(v)); }
  LedgerTask& resolvedAt(std::string v) { return set(resolved_at_, std::optional<std::string>(std::move(v))); }
  LedgerTask& operation(std::string v) { return set(operation_, std::move(v)); }
  LedgerTask& resource(std::string v) { return set(resource_, std::move(v)); }
  LedgerTask& profile(std::string v) { return set(profile_, std::move(v)); }
  LedgerTask& attempts(int v) { return set(attempts_, v); }
  LedgerTask& message(std::string v) { return set(message_, std::move(v)); }
  LedgerTask& lastErrorCode(std::string v) { return set(last_error_code_, std::move(v)); }
  LedgerTask& lastErrorMessage(std::string v) { return set(last_error_message_, std::move(v)); }
  LedgerTask& actor(std::string v) { return set(actor_, std::move(v)); }
  LedgerTask& sourceIp(std::string v) { return set(source_ip_, std::move(v)); }

 private:
  template <typename T>
  LedgerTask& set(T& field, T value) {
    field = std::move(value);
    return *this;
  }
  friend void insertTask(store::Database& db, const LedgerTask& t);

  int n_;
  std::string submitted_at_;
  std::string region_ = "ap-guangzhou";
  std::string state_ = "succeeded";
  std::optional<std::string> resolved_at_;
  std::string operation_ = "RegisterTargets";
  std::string resource_;
  std::string profile_ = "default";
  int attempts_ = 1;
  std::string message_;
  std::string last_error_code_;
  std::string last_error_message_;
  std::string actor_;
  std::string source_ip_;
};

inline std::string requestId(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

inline void insertTask(store::Database& db, const LedgerTask& t) {
  SQLite::Statement q(db.sql(),
                      "INSERT INTO tasks (profile, region, request_id, operation, resource, source, submitted_at,"
                      " imported_at, state, attempts, next_check_at, resolved_at, message, last_error_code,"
                      " last_error_message, actor, source_ip)"
                      " VALUES (?,?,?,?,?,'test',?,?,?,?,?,?,NULLIF(?,''),NULLIF(?,''),NULLIF(?,''),?,?)");
  int i = 0;
  q.bind(++i, t.profile_);
  q.bind(++i, t.region_);
  q.bind(++i, requestId(t.n_));
  q.bind(++i, t.operation_);
  q.bind(++i, t.resource_);
  q.bind(++i, t.submitted_at_);
  q.bind(++i, t.submitted_at_);
  q.bind(++i, t.state_);
  q.bind(++i, t.attempts_);
  q.bind(++i, t.submitted_at_);
  if (t.resolved_at_) {
    q.bind(++i, *t.resolved_at_);
  } else {
    q.bind(++i);
  }
  q.bind(++i, t.message_);
  q.bind(++i, t.last_error_code_);
  q.bind(++i, t.last_error_message_);
  q.bind(++i, t.actor_);
  q.bind(++i, t.source_ip_);
  q.exec();
}

// A region parked by the run `run_id` (the table of migrations/0004; the run writes it).
inline void insertParked(store::Database& db, std::int64_t run_id, const std::string& region,
                         const std::string& code, const std::string& parked_at,
                         const std::string& message = "", const std::string& profile = "default") {
  SQLite::Statement q(db.sql(),
                      "INSERT INTO parked_regions (run_id, profile, region, code, message, parked_at)"
                      " VALUES (?,?,?,?,?,?)");
  q.bind(1, run_id);
  q.bind(2, profile);
  q.bind(3, region);
  q.bind(4, code);
  q.bind(5, message);
  q.bind(6, parked_at);
  q.exec();
}

// Returns the run's id.
inline std::int64_t insertRun(store::Database& db, const std::string& started,
                              const std::optional<std::string>& finished, const std::string& exit_reason = "done") {
  store::TaskRepository repo(db);
  store::RunRecord run;
  run.started_at = *parseIsoTimestamp(started);
  run.host = "test-host";
  run.pid = 4242;
  run.profile = "default";
  auto id = repo.beginRun(run);
  if (finished) repo.finishRun(id, *parseIsoTimestamp(*finished), {}, exit_reason);
  return id;
}

inline TimePoint at(const std::string& iso) { return *parseIsoTimestamp(iso); }

}  // namespace taskledger::testing
