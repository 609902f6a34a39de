#include "SqliteTaskWriter.h"

#include "taskledger/store/LedgerBusy.h"

#include <algorithm>

namespace taskledger::store {
namespace {

// "2026-11-27T23:06:17.123Z": in the four-digit-year form the time of day starts at 11.
constexpr std::size_t kIsoLength = 24;
constexpr std::size_t kHourAt = 11;

int pragmaValue(SQLite::Database& sql, const std::string& name) { return sql.execAndGet("PRAGMA " + name).getInt(); }

}  // namespace

SqliteTaskWriter::SqliteTaskWriter(Database& db, TimePoint now)
    : sql_(db.sql()),
      previous_cache_size_(pragmaValue(sql_, "cache_size")),
      previous_ignore_checks_(pragmaValue(sql_, "ignore_check_constraints")),
      tx_(sql_, SQLite::TransactionBehavior::IMMEDIATE),
      now_iso_(formatIsoUtc(now)),
      // max(id) is one index probe where count(*) would read the whole table; prune leaves gaps,
      // so it can only overstate the ledger's size, which delays the index rebuild: safe.
      rows_before_(sql_.execAndGet("SELECT coalesce(max(id), 0) FROM tasks").getInt64()) {
  sql_.exec("PRAGMA cache_size = -" + std::to_string(kImportCacheKiB));
  sql_.exec("PRAGMA ignore_check_constraints = ON");
  insert_ = prepareInsert(1);
}

SqliteTaskWriter::~SqliteTaskWriter() {
  try {
    sql_.exec("PRAGMA cache_size = " + std::to_string(previous_cache_size_));
    sql_.exec("PRAGMA ignore_check_constraints = " + std::to_string(previous_ignore_checks_));
  } catch (...) {  // a destructor must not throw
  }
}

std::unique_ptr<SQLite::Statement> SqliteTaskWriter::prepareInsert(std::size_t rows) {
  // ?1 is the import time; row k binds ?(2 + 7k) ... ?(8 + 7k). state and last_status (NULL) are
  // what the CHECK constraints, off during the import, would test: keep them constants.
  std::string sql =
      "INSERT INTO tasks(profile, region, request_id, operation, resource, source, submitted_at,"
      " imported_at, state, attempts, next_check_at) VALUES ";
  for (std::size_t k = 0; k < rows; ++k) {
    sql += k ? ",(" : "(";
    for (std::size_t c = 0; c < kBoundPerRow; ++c) {
      sql += '?';
      sql += std::to_string(2 + kBoundPerRow * k + c);
      sql += ',';
    }
    sql += "?1,'pending',0,?1)";
  }
  sql += " ON CONFLICT(profile, region, request_id) DO NOTHING";
  auto s = std::make_unique<SQLite::Statement>(sql_, sql);
  // sqlite3_reset() keeps bindings: the import time is bound once for every row.
  s->bindNoCopy(1, now_iso_);
  if (submitted_text_.size() < rows) submitted_text_.resize(rows);
  return s;
}

void SqliteTaskWriter::isoText(TimePoint t, std::string& out) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  if (day != iso_day_ || iso_.empty()) {
    iso_ = formatIsoUtc(day);
    iso_day_ = day;
  }
  out.assign(iso_);  // reuses out's storage: no allocation once warm
  if (out.size() != kIsoLength) {  // a year without four digits: not worth a fast path
    out = formatIsoUtc(t);
    return;
  }
  auto put = [&out](std::size_t at, long long v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  const long long ms = (t - day).count();
  put(kHourAt, ms / 3'600'000, 2);
  put(kHourAt + 3, ms / 60'000 % 60, 2);
  put(kHourAt + 6, ms / 1000 % 60, 2);
  put(kHourAt + 9, ms % 1000, 3);
}

void SqliteTaskWriter::bindRow(SQLite::Statement& s, std::size_t row, const NewTask& t) {
  // Every bound string outlives the statement's run, so SQLite need not copy it.
  const int p = static_cast<int>(2 + kBoundPerRow * row);
  s.bindNoCopy(p, t.profile);
  s.bindNoCopy(p + 1, t.region);
  s.bindNoCopy(p + 2, t.request_id);
  s.bindNoCopy(p + 3, t.operation);
  s.bindNoCopy(p + 4, t.resource);
  s.bindNoCopy(p + 5, t.source);
  if (t.submitted_at) {
    isoText(*t.submitted_at, submitted_text_[row]);
    s.bindNoCopy(p + 6, submitted_text_[row]);
  } else {
    s.bindNoCopy(p + 6, now_iso_);
  }
}

std::int64_t SqliteTaskWriter::run(SQLite::Statement& s) {
  // exec() returns sqlite3_changes(): rows skipped by ON CONFLICT DO NOTHING are not counted.
  const std::int64_t added = busyAware(sql_.getFilename(), "an import", [&] { return s.exec(); });
  s.reset();  // idle again: DROP INDEX in deferIndexes() needs every statement idle
  inserted_ += added;
  if (!indexes_deferred_ && inserted_ >= kDeferIndexesAfter && inserted_ >= rows_before_) deferIndexes();
  return added;
}

std::int64_t SqliteTaskWriter::runRows(SQLite::Statement& s, const NewTask* rows, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) bindRow(s, k, rows[k]);
  return run(s);
}

bool SqliteTaskWriter::insert(const NewTask& t) {
  if (!t.actor.empty() || !t.source_ip.empty() || !t.deal_name.empty()) return insertAttributed(t);
  bindRow(*insert_, 0, t);
  return run(*insert_) == 1;
}

std::int64_t SqliteTaskWriter::insertMany(const std::vector<NewTask>& tasks) {
  if (std::any_of(tasks.begin(), tasks.end(),
                  [](const NewTask& t) { return !t.actor.empty() || !t.source_ip.empty() || !t.deal_name.empty(); })) {
    return TaskWriter::insertMany(tasks);
  }
  std::int64_t added = 0;
  std::size_t i = 0;
  if (tasks.size() >= kRowsPerStatement && !insert_many_) insert_many_ = prepareInsert(kRowsPerStatement);
  for (; tasks.size() - i >= kRowsPerStatement; i += kRowsPerStatement) {
    added += runRows(*insert_many_, &tasks[i], kRowsPerStatement);
  }
  const std::size_t rest = tasks.size() - i;
  if (rest == 1) return added + (insert(tasks[i]) ? 1 : 0);
  if (rest == 0) return added;
  if (tail_rows_ != rest) {
    insert_tail_ = prepareInsert(rest);
    tail_rows_ = rest;
  }
  return added + runRows(*insert_tail_, &tasks[i], rest);
}

bool SqliteTaskWriter::insertAttributed(const NewTask& t) {
  if (!insert_attributed_) {
    insert_attributed_ = std::make_unique<SQLite::Statement>(
        sql_,
        "INSERT INTO tasks(profile, region, request_id, operation, resource, source, submitted_at,"
        " imported_at, state, attempts, next_check_at, actor, source_ip, deal_name)"
        " VALUES (?2,?3,?4,?5,?6,?7,?8,?1,'pending',0,?1,?9,?10,?11)"
        " ON CONFLICT(profile, region, request_id) DO NOTHING");
    insert_attributed_->bindNoCopy(1, now_iso_);
  }
  auto& s = *insert_attributed_;
  bindRow(s, 0, t);
  s.bindNoCopy(9, t.actor);
  s.bindNoCopy(10, t.source_ip);
  s.bindNoCopy(11, t.deal_name);
  return run(s) == 1;
}

void SqliteTaskWriter::deferIndexes() {
  indexes_deferred_ = true;
  // Only plain CREATE INDEX indexes: a unique one (the key, made by the table's constraint, or any
  // later CREATE UNIQUE INDEX) must check every row as it comes.
  SQLite::Statement q(sql_,
                      "SELECT m.name, m.sql FROM pragma_index_list('tasks') AS l"
                      " JOIN sqlite_master AS m ON m.type = 'index' AND m.name = l.name"
                      " WHERE l.\"unique\" = 0 AND l.origin = 'c' AND m.name <> ? ORDER BY m.name");
  q.bind(1, kKeptLiveIndex);
  std::vector<std::string> names;
  while (q.executeStep()) {
    names.push_back(q.getColumn(0).getString());
    deferred_index_sql_.push_back(q.getColumn(1).getString());
  }
  q.reset();
  for (const auto& name : names) sql_.exec("DROP INDEX \"" + name + "\"");
}

void SqliteTaskWriter::commit() {
  busyAware(sql_.getFilename(), "an import", [&] {
    for (const auto& create : deferred_index_sql_) sql_.exec(create);
    tx_.commit();
  });
}

}  // namespace taskledger::store
