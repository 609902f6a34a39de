#include "SqliteTaskWriter.h"

namespace taskledger::store {
namespace {

// "2026-11-27T23:06:17.123Z": the milliseconds sit at [20, 23) in the four-digit-year form.
constexpr std::size_t kIsoLength = 24;
constexpr std::size_t kMillisAt = 20;

int cacheSize(SQLite::Database& sql) { return sql.execAndGet("PRAGMA cache_size").getInt(); }

}  // namespace

SqliteTaskWriter::SqliteTaskWriter(Database& db, TimePoint now)
    : sql_(db.sql()),
      previous_cache_size_(cacheSize(sql_)),
      tx_(sql_, SQLite::TransactionBehavior::IMMEDIATE),
      insert_(sql_,
              "INSERT INTO tasks(profile, region, request_id, operation, resource, source, submitted_at,"
              " imported_at, state, attempts, next_check_at) VALUES (?,?,?,?,?,?,?,?,'pending',0,?)"
              " ON CONFLICT(profile, region, request_id) DO NOTHING"),
      now_iso_(formatIsoUtc(now)),
      // max(id) is one index probe where count(*) would read the whole table; prune leaves gaps,
      // so it can only overstate the ledger's size, which delays the index rebuild: safe.
      rows_before_(sql_.execAndGet("SELECT coalesce(max(id), 0) FROM tasks").getInt64()) {
  sql_.exec("PRAGMA cache_size = -" + std::to_string(kImportCacheKiB));
  // The same for every row, and sqlite3_reset() keeps bindings: bound once.
  insert_.bindNoCopy(8, now_iso_);
  insert_.bindNoCopy(9, now_iso_);  // due at once
}

SqliteTaskWriter::~SqliteTaskWriter() {
  try {
    sql_.exec("PRAGMA cache_size = " + std::to_string(previous_cache_size_));
  } catch (...) {  // a destructor must not throw; a larger cache is harmless
  }
}

const std::string& SqliteTaskWriter::isoText(TimePoint t) {
  auto second = std::chrono::floor<std::chrono::seconds>(t);
  if (second.time_since_epoch() != iso_second_ || iso_.size() != kIsoLength) {
    iso_ = formatIsoUtc(t);
    iso_second_ = second.time_since_epoch();
    return iso_;
  }
  auto ms = (t - second).count();
  iso_[kMillisAt] = static_cast<char>('0' + ms / 100);
  iso_[kMillisAt + 1] = static_cast<char>('0' + ms / 10 % 10);
  iso_[kMillisAt + 2] = static_cast<char>('0' + ms % 10);
  return iso_;
}

bool SqliteTaskWriter::insert(const NewTask& t) {
  insert_.reset();
  // Every bound string outlives exec(), so SQLite need not copy it.
  insert_.bindNoCopy(1, t.profile);
  insert_.bindNoCopy(2, t.region);
  insert_.bindNoCopy(3, t.request_id);
  insert_.bindNoCopy(4, t.operation);
  insert_.bindNoCopy(5, t.resource);
  insert_.bindNoCopy(6, t.source);
  insert_.bindNoCopy(7, t.submitted_at ? isoText(*t.submitted_at) : now_iso_);
  if (insert_.exec() != 1) return false;
  ++inserted_;
  if (!indexes_deferred_ && inserted_ >= kDeferIndexesAfter && inserted_ >= rows_before_) deferIndexes();
  return true;
}

void SqliteTaskWriter::deferIndexes() {
  indexes_deferred_ = true;
  insert_.reset();  // DROP INDEX needs the connection's statements idle
  // Only plain CREATE INDEX indexes: a unique one (the key, made by the table's constraint, or any
  // later CREATE UNIQUE INDEX) must check every row as it comes.
  SQLite::Statement q(sql_,
                      "SELECT m.name, m.sql FROM pragma_index_list('tasks') AS l"
                      " JOIN sqlite_master AS m ON m.type = 'index' AND m.name = l.name"
                      " WHERE l.\"unique\" = 0 AND l.origin = 'c' ORDER BY m.name");
  std::vector<std::string> names;
  while (q.executeStep()) {
    names.push_back(q.getColumn(0).getString());
    deferred_index_sql_.push_back(q.getColumn(1).getString());
  }
  q.reset();
  for (const auto& name : names) sql_.exec("DROP INDEX \"" + name + "\"");
}

void SqliteTaskWriter::commit() {
  for (const auto& create : deferred_index_sql_) sql_.exec(create);
  tx_.commit();
}

}  // namespace taskledger::store
