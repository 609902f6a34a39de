#include "SqliteTaskWriter.h"

namespace taskledger::store {

SqliteTaskWriter::SqliteTaskWriter(Database& db, TimePoint now)
    : tx_(db.sql(), SQLite::TransactionBehavior::IMMEDIATE),
      insert_(db.sql(),
              "INSERT INTO tasks(profile, region, request_id, operation, resource, source, submitted_at,"
              " imported_at, state, attempts, next_check_at) VALUES (?,?,?,?,?,?,?,?,'pending',0,?)"
              " ON CONFLICT(profile, region, request_id) DO NOTHING"),
      now_iso_(formatIsoUtc(now)) {}

bool SqliteTaskWriter::insert(const NewTask& t) {
  insert_.reset();
  insert_.bind(1, t.profile);
  insert_.bind(2, t.region);
  insert_.bind(3, t.request_id);
  insert_.bind(4, t.operation);
  insert_.bind(5, t.resource);
  insert_.bind(6, t.source);
  std::string submitted = t.submitted_at ? formatIsoUtc(*t.submitted_at) : now_iso_;
  insert_.bind(7, submitted);
  insert_.bind(8, now_iso_);
  insert_.bind(9, now_iso_);  // due at once
  return insert_.exec() == 1;
}

void SqliteTaskWriter::commit() { tx_.commit(); }

}  // namespace taskledger::store
