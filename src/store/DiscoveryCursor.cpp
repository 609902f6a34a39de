#include "taskledger/store/DiscoveryCursor.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "RowMapping.h"

namespace taskledger::store {

std::optional<TimePoint> SqliteDiscoveryCursor::lastEventAt(const std::string& profile) {
  SQLite::Statement q(db_.sql(), "SELECT last_event_at FROM discovery_cursor WHERE profile = ?");
  q.bind(1, profile);
  if (!q.executeStep()) return std::nullopt;
  // Garbage an older version wrote is as good as no cursor: discover then reads its default
  // window instead of failing on every run.
  return parseIsoTimestamp(q.getColumn(0).getString());
}

void SqliteDiscoveryCursor::advance(const std::string& profile, TimePoint at, TimePoint now) {
  SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  // ISO-8601 text in one fixed width sorts as time, so max() on text keeps the newer one. A
  // stored value past now (an older version's, or garbage, which sorts after digits) is replaced.
  SQLite::Statement q(db_.sql(),
                      "INSERT INTO discovery_cursor(profile, last_event_at, updated_at) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT(profile) DO UPDATE SET last_event_at = CASE WHEN last_event_at > ?3"
                      " THEN excluded.last_event_at ELSE max(last_event_at, excluded.last_event_at) END,"
                      " updated_at = excluded.updated_at");
  q.bind(1, profile);
  q.bind(2, formatIsoUtc(std::min(at, now)));
  q.bind(3, formatIsoUtc(now));
  q.exec();
  tx.commit();
}

std::vector<TimePoint> SqliteDiscoveryCursor::recentCalls(const std::string& host) {
  SQLite::Statement q(db_.sql(), "SELECT sent_at FROM discovery_calls WHERE host = ?");
  q.bind(1, host);
  std::vector<TimePoint> out;
  if (q.executeStep()) {
    for (const auto& text : splitIds(q.getColumn(0).getString())) {
      if (auto t = parseIsoTimestamp(text)) out.push_back(*t);  // pacing without a garbled entry is still pacing
    }
  }
  return out;
}

void SqliteDiscoveryCursor::saveCalls(const std::string& host, const std::vector<TimePoint>& sent) {
  std::vector<std::string> texts;
  for (TimePoint t : sent) texts.push_back(formatIsoUtc(t));
  SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(db_.sql(),
                      "INSERT INTO discovery_calls(host, sent_at) VALUES (?1, ?2)"
                      " ON CONFLICT(host) DO UPDATE SET sent_at = excluded.sent_at");
  q.bind(1, host);
  q.bind(2, joinIds(texts));
  q.exec();
  tx.commit();
}

}  // namespace taskledger::store
