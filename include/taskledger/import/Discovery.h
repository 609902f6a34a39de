#pragma once
// `discover`: fills the ledger from the audit log (CloudAudit DescribeEvents). Pages through the
// window, asks the service to filter what it can (ResourceType clb, ActionType Write), keeps the
// events that are tasks (AuditEventFilter.h) and records them; known ids are counted, never
// doubled, so overlapping windows are harmless.
//
// Talks to the outside through AuditEventSource, TaskStore, DiscoveryCursor and Clock, so its
// tests use fakes and virtual time.
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <unordered_set>
#include <string>
#include <vector>

#include "taskledger/domain/AuditEventSource.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/store/DiscoveryCursor.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::import {

using namespace std::chrono_literals;

struct DiscoveryResult;

struct DiscoveryOptions {
  std::string profile = "default";
  // Absent: from where the last discover of this profile left off, minus kLateEventMargin; for a
  // profile never discovered, kDefaultLookback before now.
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;  // absent: now; a later time is taken as now
  std::set<std::string> actions;   // empty: clbAsyncActions()
  // The whole discover's budget (--max-duration): past it no call is started, and discover ends
  // with exit 75, keeping what it recorded.
  Millis max_duration = std::chrono::minutes(10);
  // Told one line per event skipped because the ledger must not hold it as it came (a time out
  // of range, an over-long field; AuditEventFilter.h). Absent: such events are skipped silently.
  std::function<void(const std::string&)> warn;
  // Told the counts so far after each page is recorded (a progress line); may be empty.
  std::function<void(const DiscoveryResult&)> on_page;
};

struct DiscoveryResult {
  std::int64_t added = 0;   // new tasks
  std::int64_t known = 0;   // tasks the ledger already had
  std::int64_t events = 0;  // events read (the service's filters applied)
  std::int64_t calls = 0;   // DescribeEvents calls made, retries included
  std::int64_t skipped = 0;  // task events refused (options.warn was told each)
  std::int64_t pages = 0;   // pages read (calls that answered)
  std::int64_t narrowed = 0;  // spans halved because the service said LimitExceeded.OverAmount
  TimePoint since{}, until{};  // the window asked, after the 90-day floor
  bool since_clamped = false;  // the window asked for began before the 90-day floor
};

// [start, end] in Unix seconds, end - start <= the span limit.
struct TimeSpan {
  std::int64_t start = 0, end = 0;
  bool operator==(const TimeSpan&) const = default;
};

// Splits [since, until] (Unix seconds) into consecutive spans of at most `max_seconds`, newest
// last. Neighbours share their boundary second, so an event on it is read twice rather than not
// at all (the service does not say whether EndTime is inclusive). Empty when since >= until.
std::vector<TimeSpan> splitWindow(std::int64_t since, std::int64_t until, std::int64_t max_seconds);

class Discovery {
 public:
  // CloudAudit's own limits (API.md): one query spans *less* than 30 days (so a day inside that),
  // back at most 90 days.
  static constexpr std::int64_t kMaxSpanSeconds = 29 * 86400;
  // LimitExceeded.OverAmount ("too much asked at once") halves the span and goes on, down to
  // spans of this many seconds.
  static constexpr std::int64_t kMinSpanSeconds = 60;
  static constexpr const char* kOverAmount = "LimitExceeded.OverAmount";
  static constexpr Millis kMaxLookback = std::chrono::duration_cast<Millis>(std::chrono::days(90));
  // The floor is taken this much inside 90 days: the service measures from its own clock when the
  // request arrives, which may be ahead of ours.
  static constexpr Millis kLookbackSlack = 10min;
  // Events appear in CloudAudit minutes after the call (no published figure; AWS's equivalent
  // averages 5 minutes), so a continuing discover re-reads this much before the last event seen:
  // an event that arrived late, with an older time, is still found. Re-read ids are only counted.
  static constexpr Millis kLateEventMargin = 15min;
  static constexpr Millis kDefaultLookback = 24h;
  static constexpr int kPageSize = 50;  // the service's maximum MaxResults
  // DescribeEvents allows 20 calls a second; paced on a sliding window of 1 s plus this margin,
  // so network jitter bunching arrivals does not trip it. The last calls are kept in the ledger
  // (DiscoveryCursor), so a discover started right after another paces itself with it.
  static constexpr int kRate = 20;
  static constexpr Millis kRateMargin = 30ms;
  // A page the service kept failing (rate limited, InternalError, network) is tried this often,
  // waiting 1, 2, 4, 8 s between, then discover gives up with exit 75.
  static constexpr int kMaxAttempts = 5;
  // A server that answers ListOver false with a new NextToken forever must not hold discover (and
  // the cron line `discover && run`) up. 2000 pages of 50 are 100,000 CLB writes in one 30-day
  // span, some fifty times what a busy account makes, and take under two minutes at kRate.
  static constexpr int kMaxPagesPerSpan = 2000;

  Discovery(AuditEventSource& source, store::TaskStore& store, store::DiscoveryCursor& cursor, Clock& clock);

  // Throws taskledger::Error: exit 77 for refused credentials, 75 when the service kept failing or
  // when max_duration or kMaxPagesPerSpan was reached, 1 for any other refusal. Pages already
  // read stay recorded; the cursor moves past a span only when the whole span was read (spans are
  // read oldest first, so nothing before the cursor is ever left unread).
  DiscoveryResult discover(const DiscoveryOptions& options);

 private:
  DiscoveryResult discoverWindow(const DiscoveryOptions& options);
  // Pages through one span, recording its tasks. False when the service refused it as too much
  // at once (LimitExceeded.OverAmount), for the caller to narrow.
  bool readSpan(const TimeSpan& span, const DiscoveryOptions& options, const std::set<std::string>& actions, TimePoint now,
                std::unordered_set<std::string>& seen, std::optional<std::int64_t>& newest_event, DiscoveryResult& result);
  // One call, retried while the service says to; the answer, or an OverAmount error. Throws for
  // every other error.
  AuditAnswer ask(const AuditQuery& query, DiscoveryResult& result);
  void pace();
  // Throws exit 75 when the budget leaves no room for a call (or a pause) lasting until `until`.
  void checkBudget(TimePoint until, const std::string& why) const;

  AuditEventSource& source_;
  store::TaskStore& store_;
  store::DiscoveryCursor& cursor_;
  Clock& clock_;
  std::vector<TimePoint> sends_;  // the last kRate send times, oldest first (kept in the ledger)
  TimePoint deadline_{};          // the end of this discover's --max-duration
  Millis max_duration_{};
};

}  // namespace taskledger::import
