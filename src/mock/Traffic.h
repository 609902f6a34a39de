#pragma once
// The endpoint's books: arrivals per (SecretId, Host) in sliding 1-second windows, the rate
// limit's admissions, rate-limit bursts, and answer outcomes. Thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "taskledger/mock/MockStats.h"

namespace taskledger::mock {

using SteadyTime = std::chrono::steady_clock::time_point;

// The times of the events of the last second; its size is the count in the window (t - 1 s, t].
class SlidingSecond {
 public:
  int countAt(SteadyTime t);  // drops the events at or before t - 1 s
  void add(SteadyTime t) { times_.push_back(t); }

 private:
  std::deque<SteadyTime> times_;
};

class Traffic {
 public:
  explicit Traffic(int rate) : rate_(rate) {}

  // Every request to the API path, at its arrival; counts towards the arrival statistics.
  void arrive(const std::string& secret_id, const std::string& host, SteadyTime t);
  // Whether an authenticated request that arrived at `t` may be answered: false when a burst is
  // on for its key, or when accepting it would put more than `rate` accepted requests in the
  // window ending at `t`. Refused requests do not enter the accepted window.
  bool admit(const std::string& secret_id, const std::string& host, SteadyTime t);
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
  mutable std::mutex mutex_;
  // protected by mutex_:
  std::map<Key, PerKey> keys_;
  SlidingSecond all_arrivals_;
  MockStats totals_;  // requests, outcomes, signature_failures, rate_limited, max_arrivals_1s
};

}  // namespace taskledger::mock
