#pragma once
// Where `discover` left off, per profile, and when it last called CloudAudit, per host
// (migrations/0007_discovery_cursor.sql). An interface so the discovery service's tests keep it
// in memory.
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Time.h"
#include "taskledger/store/Database.h"

namespace taskledger::store {

class DiscoveryCursor {
 public:
  virtual ~DiscoveryCursor() = default;
  // The time of the newest audit event a discover of `profile` has seen; nullopt before the first.
  virtual std::optional<TimePoint> lastEventAt(const std::string& profile) = 0;
  // Moves it to `at`, but never past `now`; never backwards (an older value is ignored), except
  // from a stored value past `now`, which no discover should have left.
  virtual void advance(const std::string& profile, TimePoint at, TimePoint now) = 0;
  // The send times of the last calls to `host`, oldest first, as saved by saveCalls().
  virtual std::vector<TimePoint> recentCalls(const std::string& host) = 0;
  virtual void saveCalls(const std::string& host, const std::vector<TimePoint>& sent) = 0;
};

class SqliteDiscoveryCursor final : public DiscoveryCursor {
 public:
  explicit SqliteDiscoveryCursor(Database& db) : db_(db) {}
  std::optional<TimePoint> lastEventAt(const std::string& profile) override;
  void advance(const std::string& profile, TimePoint at, TimePoint now) override;
  std::vector<TimePoint> recentCalls(const std::string& host) override;
  void saveCalls(const std::string& host, const std::vector<TimePoint>& sent) override;

 private:
  Database& db_;
};

}  // namespace taskledger::store
