#include "taskledger/import/Discovery.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "taskledger/domain/ClbAsyncActions.h"
#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Error.h"
#include "taskledger/import/AuditEventFilter.h"

namespace taskledger::import {

std::vector<TimeSpan> splitWindow(std::int64_t since, std::int64_t until, std::int64_t max_seconds) {
  std::vector<TimeSpan> spans;
  for (std::int64_t start = since; start < until; start += max_seconds) {
    spans.push_back({start, std::min(until, start + max_seconds)});
  }
  return spans;
}

Discovery::Discovery(AuditEventSource& source, store::TaskStore& store, store::DiscoveryCursor& cursor, Clock& clock)
    : source_(source), store_(store), cursor_(cursor), clock_(clock) {}

void Discovery::pace() {
  // A sliding-window log like scheduler::RateLimiter's (import/ does not depend on scheduler/):
  // the next call waits until the kRate-th last one is a window and a margin ago.
  if (sends_.size() >= static_cast<std::size_t>(kRate)) {
    const TimePoint slot = sends_.front() + 1s + kRateMargin;
    if (clock_.now() < slot) clock_.sleepUntil(slot);
    sends_.erase(sends_.begin());
  }
  sends_.push_back(clock_.now());
}

void Discovery::checkBudget(TimePoint until, const std::string& why) const {
  if (until < deadline_) return;
  throw Error(ExitCode::TryLater, source_.host() + " DescribeEvents: --max-duration " + formatDuration(max_duration_) +
                                      " reached" + why + "; what was read is recorded, the next discover goes on (try later)");
}

AuditAnswer Discovery::ask(const AuditQuery& query, DiscoveryResult& result) {
  Millis backoff = 1s;
  for (int attempt = 1;; ++attempt) {
    checkBudget(clock_.now(), " after " + std::to_string(result.calls) + " calls");
    pace();
    ++result.calls;
    AuditAnswer answer = source_.describeEvents(query);
    // The service counts arrivals, which a new connection's handshake can delay well past the
    // send: the time the answer came back is the one moment surely after the arrival.
    sends_.back() = clock_.now();
    if (answer.ok()) return answer;
    const ApiError& e = answer.error();
    const std::string what = source_.host() + " DescribeEvents: " + e.code + ": " + e.message;
    if (answer.credentials_refused) throw Error(ExitCode::AuthRefused, what);
    if (e.code == kOverAmount) return answer;  // the caller narrows the window
    if (e.consequence != ErrorConsequence::RetryLater) throw Error::runtime(what);
    if (attempt == kMaxAttempts) {
      throw Error(ExitCode::TryLater, what + " (" + std::to_string(kMaxAttempts) + " attempts; try later)");
    }
    checkBudget(clock_.now() + backoff, " while CloudAudit kept failing (" + what + ")");
    clock_.sleepUntil(clock_.now() + backoff);
    backoff *= 2;
  }
}

DiscoveryResult Discovery::discover(const DiscoveryOptions& options) {
  // The calls of a discover that just ended still count in the service's window.
  sends_ = cursor_.recentCalls(source_.host());
  if (sends_.size() > static_cast<std::size_t>(kRate)) sends_.erase(sends_.begin(), sends_.end() - kRate);
  try {
    DiscoveryResult result = discoverWindow(options);
    cursor_.saveCalls(source_.host(), sends_);
    return result;
  } catch (...) {
    cursor_.saveCalls(source_.host(), sends_);
    throw;
  }
}

DiscoveryResult Discovery::discoverWindow(const DiscoveryOptions& options) {
  const std::set<std::string>& actions = options.actions.empty() ? clbAsyncActions() : options.actions;
  const TimePoint now = clock_.now();
  max_duration_ = options.max_duration;
  deadline_ = now + options.max_duration;
  DiscoveryResult result;
  result.until = std::min(options.until.value_or(now), now);
  if (options.since) {
    result.since = *options.since;
  } else if (auto last = cursor_.lastEventAt(options.profile)) {
    // A cursor an older version moved into the future must not leave the window empty for years.
    result.since = std::min(*last, now) - kLateEventMargin;
  } else {
    result.since = now - kDefaultLookback;
  }
  const TimePoint floor = now - kMaxLookback + kLookbackSlack;
  if (result.since < floor) {
    result.since = floor;
    result.since_clamped = true;
  }

  std::unordered_set<std::string> seen;  // region/request id of this run: a re-read is no news
  std::optional<std::int64_t> newest_event;
  const auto spans = splitWindow(toUnixSeconds(result.since), toUnixSeconds(result.until), kMaxSpanSeconds);
  std::deque<TimeSpan> todo(spans.begin(), spans.end());  // oldest first
  while (!todo.empty()) {
    const TimeSpan span = todo.front();
    todo.pop_front();
    if (!readSpan(span, options, actions, now, seen, newest_event, result)) {
      // LimitExceeded.OverAmount: too much asked at once. The two halves, older first, take its
      // place; what the span's first pages recorded is only counted again.
      if (span.end - span.start < 2 * kMinSpanSeconds) {
        throw Error::runtime(source_.host() + " DescribeEvents: " + kOverAmount + " even for the " +
                             std::to_string(span.end - span.start) + " s from " + formatIsoUtc(fromUnixSeconds(span.start)));
      }
      const std::int64_t middle = span.start + (span.end - span.start) / 2;
      todo.push_front({middle, span.end});
      todo.push_front({span.start, middle});
      ++result.narrowed;
      continue;
    }
    // The span is read whole, and every older one before it: a discover that ends later (budget,
    // page bound, trouble) goes on from here rather than from the window's start.
    if (newest_event) cursor_.advance(options.profile, fromUnixSeconds(*newest_event), now);
  }
  return result;
}

bool Discovery::readSpan(const TimeSpan& span, const DiscoveryOptions& options, const std::set<std::string>& actions,
                         TimePoint now, std::unordered_set<std::string>& seen, std::optional<std::int64_t>& newest_event,
                         DiscoveryResult& result) {
  AuditQuery query;
  query.start_time = span.start;
  query.end_time = span.end;
  query.lookups = {{"ResourceType", "clb"}, {"ActionType", "Write"}};
  query.max_results = kPageSize;
  // NextToken is opaque (API.md): paging ends on ListOver or on a token this span already had,
  // never on an assumed order.
  std::set<std::string> tokens;
  for (int pages = 0;; ++pages) {
    if (pages == kMaxPagesPerSpan) {
      throw Error(ExitCode::TryLater, source_.host() + " DescribeEvents: still not ListOver after " + std::to_string(pages) +
                                          " pages of the span from " + formatIsoUtc(fromUnixSeconds(span.start)) +
                                          "; what was read is recorded, the next discover reads the span again (try later)");
    }
    AuditAnswer answer = ask(query, result);
    if (!answer.ok()) return false;  // OverAmount
    const AuditPage& page = answer.page();
    ++result.pages;
    result.events += static_cast<std::int64_t>(page.events.size());
    std::vector<NewTask> tasks;
    for (const AuditEvent& event : page.events) {
      // Only a time up to now moves the cursor: one event dated years ahead must not make every
      // later discover read a window that begins then.
      if (event.event_time >= toUnixSeconds(kEarliestSaneTime) && event.event_time <= toUnixSeconds(now)) {
        newest_event = std::max(newest_event.value_or(event.event_time), event.event_time);
      }
      std::string refusal;
      auto task = taskFromEvent(event, actions, options.profile, now, refusal);
      if (!refusal.empty()) {
        ++result.skipped;
        if (options.warn) options.warn(refusal);
      }
      if (task && seen.insert(task->region + "/" + task->request_id).second) tasks.push_back(std::move(*task));
    }
    if (!tasks.empty()) {
      auto writer = store_.beginImport(clock_.now());
      const std::int64_t added = writer->insertMany(tasks);
      writer->commit();
      result.added += added;
      result.known += static_cast<std::int64_t>(tasks.size()) - added;
    }
    if (options.on_page) options.on_page(result);
    if (page.list_over || !page.next_token) return true;
    if (!tokens.insert((page.next_token->number ? "n" : "s") + page.next_token->text).second) return true;
    query.next_token = page.next_token;
  }
}

}  // namespace taskledger::import
