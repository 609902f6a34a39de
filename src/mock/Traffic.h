#pragma once
// The endpoint's books: arrivals per (SecretId, Host) in sliding 1-second windows, the rate
// limit's admissions, rate-limit bursts, and answer outcomes. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "taskledger/mock/MockStats.h"

namespace taskledger::mock {

using SteadyTime = std::chrono::steady_clock::time_point;

// The times of recent events, kept in time order whatever order they are added in: a handler
// stamps its arrival before it takes the books' lock, so a later stamp can be added first, and
// counting in the order of adding would see windows that never were.
class SlidingSecond {
 public:
  // The largest number of events, `t` included, in any window (u - 1 s, u] that holds `t`.
  int peakWith(SteadyTime t) const;
  // Adds `t` and returns peakWith(t). Forgets events far older than the newest.
  int add(SteadyTime t);

 private:
  std::multiset<SteadyTime> times_;
};

class Traffic {
 public:
  // What admit() decided.
  enum class Admission { Accepted, OverHostRate, OverAccountRate };

  // `rate` per (SecretId, Host), `account_rate` per SecretId over all hosts; 0: no limit.
  explicit Traffic(int rate, int account_rate = 0) : rate_(rate), account_rate_(account_rate) {}

  // Every request to the API path, at its arrival; counts towards the arrival statistics.
  void arrive(const std::string& secret_id, const std::string& host, SteadyTime t);
  // Whether an authenticated request that arrived at `t` may be answered: OverHostRate when a
  // burst is on for its key or accepting it would put more than `rate` accepted requests of its
  // key in a window of 1 s, OverAccountRate when it would put more than `account_rate` of its
  // account's. Refused requests do not enter the accepted windows.
  Admission admit(const std::string& secret_id, const std::string& host, SteadyTime t);
  void startBurst(const std::string& secret_id, const std::string& host, SteadyTime until);
  // One answer sent (or a fault delivered), by outcome name (see MockStats::outcomes).
  void answered(const std::string& outcome);

  MockStats snapshot() const;

 private:
  using Key = std::pair<std::string, std::string>;  // (host, secret_id): the stats' sort order
  struct PerKey {
    KeyStats stats;
    SlidingSecond arrivals, accepted;
    SteadyTime burst_until{};
  };

  const int rate_;
  const int account_rate_;
  mutable std::mutex mutex_;
  // protected by mutex_:
  std::map<Key, PerKey> keys_;
  std::map<std::string, SlidingSecond> accounts_;  // accepted, by SecretId
  SlidingSecond all_arrivals_;
  MockStats totals_;  // requests, outcomes, signature_failures, rate_limited, max_arrivals_1s
};

}  // namespace taskledger::mock
