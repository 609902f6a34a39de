#include "SqliteTaskWriter.h"
#include <cstdlib>

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
      now_iso_(formatIsoUtc(now)) {
  sql_.exec("PRAGMA cache_size = -" + std::string(std::getenv("TL_CACHE") ? std::getenv("TL_CACHE") : std::to_string(kImportCacheKiB)));
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
  return insert_.exec() == 1;
}

void SqliteTaskWriter::commit() { tx_.commit(); }

}  // namespace taskledger::store
