#include "taskledger/store/DiscoveryCursor.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "RowMapping.h"

namespace taskledger::store {

std::optional<TimePoint> SqliteDiscoveryCursor::lastEventAt(const std::string& profile) {
  SQLite::Statement q(db_.sql(), "SELECT last_event_at FROM discovery_cursor WHERE profile = ?");
  q.bind(1, profile);
  if (!q.executeStep()) return std::nullopt;
  return parseStoredTime(q.getColumn(0).getString());
}

void SqliteDiscoveryCursor::advance(const std::string& profile, TimePoint at, TimePoint now) {
  SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  // ISO-8601 text in one fixed width sorts as time, so max() on text keeps the newer one.
  SQLite::Statement q(db_.sql(),
                      "INSERT INTO discovery_cursor(profile, last_event_at, updated_at) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT(profile) DO UPDATE SET last_event_at = max(last_event_at, excluded.last_event_at),"
                      " updated_at = excluded.updated_at");
  q.bind(1, profile);
  q.bind(2, formatIsoUtc(at));
  q.bind(3, formatIsoUtc(now));
  q.exec();
  tx.commit();
}

}  // namespace taskledger::store
