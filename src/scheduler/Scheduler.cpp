#include "taskledger/scheduler/Scheduler.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <deque>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "taskledger/store/LedgerBusy.h"

namespace taskledger::scheduler {
using store::AnswerRecord;
using store::TaskUpdate;

namespace {

// In flight per host = rate x latency x kHeadroom + 1: latency varies from one answer to the next,
// and a host short of requests in flight loses its share of the rate for good.
constexpr double kHeadroom = 1.5;
// The latency assumed before any answer has come (a typical round trip to a Tencent host).
constexpr Millis kAssumedLatency{300};
// How much each answer moves the recent latency (an exponential moving average).
constexpr double kLatencyWeight = 0.2;

// Requests a host may have in flight before its first answer (DESIGN.md, run, Slow start): a
// region that refuses the API, or a host that cannot be reached, costs at most this many.
constexpr std::size_t kSlowStartRoom = 2;

// A profile that starts as a shared budget ends still answers what is due.
constexpr Millis kLeastShare{1'000};

// Re-reads the ledger's regions this often, so tasks imported during a long run are seen.
constexpr Millis kRegionRefresh{30'000};
// How often a region whose due tasks were all fetched is asked again.
constexpr Millis kRefetchDrained{1'000};
// Due "at any time from now": how far ahead a look for the next task to ask reaches.
constexpr Millis kFarAhead{100LL * 365 * 86'400'000};
// Each attempt waits the store's busy timeout (a minute for SQLite) before it fails.
constexpr int kFinalCommitAttempts = 3;

}  // namespace

// The state of one run. Lives on the stack of Scheduler::run(); touched by that thread only.
class Scheduler::Run {
 public:
  Run(Scheduler& s, std::int64_t run_id)
      : s_(s), opt_(s.options_), run_id_(run_id), rng_(opt_.seed), start_(s.clock_.now()),
        deadline_(start_ + opt_.max_duration) {
    if (opt_.ends_by) deadline_ = std::min(deadline_, std::max(*opt_.ends_by, start_ + kLeastShare));
  }

  RunOutcome execute() {
    TimePoint now = s_.clock_.now();
    outcome_.expired = s_.store_.expireUnresolved(opt_.profile, now - opt_.give_up_after, now);
    unresolved_at_start_ = s_.store_.countUnresolved(opt_.profile);
    refreshRegions(now);
    refill(now);
    s_.progress_.started(countDue(now), unresolved_at_start_, hosts_.size(), concurrency());
    loop();
    commitAtEnd();
    endWithParkedRegions();
    outcome_.unresolved_left = s_.store_.countUnresolved(opt_.profile);
    for (const auto& [name, h] : hosts_) {
      if (h.limiter->penalties()) outcome_.rate_limited_by_host[name] = h.limiter->penalties();
    }
    reportProgress(s_.clock_.now(), true);
    return outcome_;
  }

 private:
  // A task on its way through the run: waiting in a host's queue, in flight, or backing off.
  struct Job {
    std::int64_t task_id = 0;
    TaskQuery query;
    std::string host;     // the rate-limited access host
    int retry = 0;        // retries of this task within this run
    bool resent = false;  // already resent once after a stale kept-alive connection
  };
  struct Flight {
    Job job;
    TimePoint sent_at{};   // when the scheduler released it (the limiter's reservation)
    TimePoint deadline{};  // aborted if not answered by then
    bool aborted = false;
  };
  struct Host {
    explicit Host(int rate) : limiter(std::make_shared<RateLimiter>(rate)) {}
    std::deque<Job> ready;
    // Shared with the calls in flight, which take their slot when they are written.
    std::shared_ptr<RateLimiter> limiter;
    std::multiset<TimePoint> in_flight;  // release times of this host's requests in flight
    double latency_ms = static_cast<double>(kAssumedLatency.count());  // recent, smoothed
    bool answered = false;  // the server has answered once: slow start is over
  };
  struct Region {
    std::string host;
    bool drained = false;    // the last fetch found fewer due tasks than asked for
    bool parked = false;     // refused or unreachable: not asked again in this run
    TimePoint fetched_at{};  // when that fetch was made
  };
  struct Tracked {
    Task task;
    int unknown_codes = 0;
    // FailedOperation answers: those committed before the task was fetched (read at the first
    // one), and those of this run since.
    std::optional<std::int64_t> earlier_failed_operations;
    int failed_operations = 0;
  };

  void loop() {
    while (true) {
      TimePoint now = s_.clock_.now();
      if (!stopping() && now >= deadline_) stopWith(ExitCode::Ok, "budget");
      if (int sig = s_.stop_signal_.load(); sig != 0 && !signalled_) {
        signalled_ = true;
        stopWith(sig == SIGINT ? ExitCode::Interrupted : ExitCode::Terminated, "signal");
        for (auto& [id, f] : flights_) f.deadline = std::min(f.deadline, now + opt_.stop_grace);
      }
      abortOverdue(now);
      if (!stopping() && !commit_blocked_) {  // nothing new is sent while answers wait to be stored
        releaseDelayed(now);
        refill(now);
        dispatch(now);
      }
      if (pending_.size() >= opt_.commit_every || (!pending_.empty() && now >= first_pending_ + opt_.commit_interval)) {
        commit();
      }
      reportProgress(now, false);

      bool idle_run = flights_.empty() && delayed_.empty() && readyCount() == 0;
      if (stopping() && flights_.empty()) return;
      if (idle_run) {
        commit();
        if (!opt_.until_done) {
          if (outcome_.reason.empty()) outcome_.reason = outcome_.stats.checked || outcome_.stats.rate_limited ? "done" : "nothing due";
          return;
        }
        if (!outcome_.parked_regions.empty()) {
          // The ledger's next due time may be a parked region's: look again at the fetch
          // cadence instead of spinning on it, until only parked regions are left.
          if (!anyLeftToAsk()) {
            outcome_.reason = "done";
            return;
          }
          waitFor(std::min(now + kRefetchDrained, deadline_));
          refreshRegions(s_.clock_.now());
          for (auto& [name, r] : regions_) r.drained = false;
          continue;
        }
        auto next_due = nextAskableAt(now);
        if (!next_due) {
          outcome_.reason = "done";
          return;
        }
        if (*next_due > now) {
          waitFor(std::min(*next_due, deadline_));
          refreshRegions(s_.clock_.now());
          continue;
        }
        if (allDrained()) {
          // Due tasks exist but every region's fetch came back short: their regions are new.
          refreshRegions(now);
        }
        for (auto& [name, r] : regions_) r.drained = false;
        continue;
      }
      waitFor(nextWake(now));
    }
  }

  std::size_t concurrency() const {
    return opt_.concurrency ? opt_.concurrency : kMaxInFlightPerHost * std::max<std::size_t>(1, hosts_.size());
  }

  // Requests `host` may have in flight now: before its first answer, kSlowStartRoom; then enough to keep its rate going at the latency it
  // shows, where a request already out longer than the recent average counts as the latency, and
  // never less than one second's sends. With that floor a fast API's sends go when the limiter
  // lets them, a second's worth together, and their answers come back together: two busy moments
  // a second per host instead of one per request, and each wake-up of an idle CPU is what a run
  // pays for most (three regions, this repository's VM: 2.5-4.1% of a core against 2.6-5.8%).
  std::size_t roomFor(const Host& host, TimePoint now) const {
    if (!host.answered) return kSlowStartRoom;
    double latency = host.latency_ms;
    if (!host.in_flight.empty()) latency = std::max(latency, static_cast<double>((now - *host.in_flight.begin()).count()));
    const double rate = host.limiter->effectiveRate(now);
    const double wanted = std::max(rate, rate * latency / 1000.0 * kHeadroom + 1);
    return std::min<std::size_t>(kMaxInFlightPerHost, static_cast<std::size_t>(std::ceil(wanted)));
  }

  // The deciding thread keeps each request's total deadline: the port only bounds single waits.
  void abortOverdue(TimePoint now) {
    for (auto& [id, f] : flights_) {
      if (f.aborted || f.deadline > now) continue;
      f.aborted = true;
      s_.api_.abort(id, signalled_ ? "stopped by a signal" : "no answer within " + std::to_string(opt_.timeout.count()) + " ms (--timeout, the whole request)");
    }
  }

  bool stopping() const { return stopping_; }

  void stopWith(ExitCode code, const std::string& reason) {
    stopping_ = true;
    if (outcome_.reason.empty() || code != ExitCode::Ok) {
      outcome_.exit = code;
      outcome_.reason = reason;
    }
  }

  std::size_t readyCount() const {
    std::size_t n = 0;
    for (const auto& [name, h] : hosts_) n += h.ready.size();
    return n;
  }

  bool allDrained() const {
    return std::all_of(regions_.begin(), regions_.end(), [](const auto& r) { return r.second.drained; });
  }

  void refreshRegions(TimePoint now) {
    for (const auto& region : s_.store_.unresolvedRegions(opt_.profile)) {
      if (regions_.count(region)) continue;
      std::string host = s_.host_for_(region);
      regions_[region] = Region{host, false};
      if (!hosts_.count(host)) {
        Host h(opt_.rate);
        h.limiter->seed(s_.store_.sendsSince(host, now - RateLimiter::kWindow - RateLimiter::kDefaultMargin));
        hosts_.emplace(host, std::move(h));
      }
    }
    regions_refreshed_at_ = now;
  }

  // Keeps each region's host queue stocked, region by region, so no region starves another.
  void refill(TimePoint now) {
    if (now - regions_refreshed_at_ >= kRegionRefresh) refreshRegions(now);
    for (auto& [region, r] : regions_) {
      if (r.parked) continue;
      Host& host = hosts_.at(r.host);
      // A drained region only gains due tasks as time passes: look again at most once a
      // second (poll intervals are 5 s and more), not after every commit.
      if ((r.drained && now - r.fetched_at < kRefetchDrained) || host.ready.size() >= opt_.batch / 2) continue;
      // The tasks this run holds are still due in the ledger until their answers are committed.
      auto tasks = s_.store_.dueTasks(opt_.profile, region, now, opt_.batch,
                                      [this](std::int64_t id) { return known_.count(id) > 0 || held_.count(id) > 0; });
      for (auto& t : tasks) {
        // A row an older version garbled is checked like the others, and named once per run.
        if (!t.unreadable.empty() && named_unreadable_.insert(t.id).second) {
          s_.progress_.problem("task " + t.request_id + " (" + t.region + "): " + t.unreadable);
        }
        Job job;
        job.task_id = t.id;
        job.query = TaskQuery{t.region, t.request_id};
        job.host = r.host;
        host.ready.push_back(std::move(job));
        next_checks_.erase(t.id);
        known_.emplace(t.id, Tracked{std::move(t), 0, std::nullopt, 0});
      }
      r.drained = tasks.size() < opt_.batch;
      r.fetched_at = now;
    }
  }

  void releaseDelayed(TimePoint now) {
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      Job job = std::move(delayed_.begin()->second);
      delayed_.erase(delayed_.begin());
      hosts_.at(job.host).ready.push_front(std::move(job));
    }
  }

  // Sends what the limiters and the room in flight allow, rotating over hosts.
  void dispatch(TimePoint now) {
    while (flights_.size() < concurrency()) {
      auto it = nextSendable(now);
      if (it == hosts_.end()) return;
      Host& host = it->second;
      Job job = std::move(host.ready.front());
      host.ready.pop_front();
      if (auto r = regions_.find(job.query.region); r != regions_.end() && r->second.parked) {
        settle(job.task_id);  // a retry or resend of an answer that came in after the parking
        continue;
      }
      host.limiter->reserve(now);
      last_host_ = it->first;
      host.in_flight.insert(now);
      const auto id = next_call_++;
      TaskStatusApi::Call call{id, job.query, RateLimiter::gate(host.limiter, now)};
      flights_.emplace(id, Flight{std::move(job), now, now + opt_.timeout, false});
      s_.api_.start(std::move(call));
    }
  }

  // The first host after the last one served, in rotation, with a task ready that its limiter
  // and its room in flight let go now; hosts_.end() if none.
  std::map<std::string, Host>::iterator nextSendable(TimePoint now) {
    auto it = hosts_.upper_bound(last_host_);
    for (std::size_t i = 0; i < hosts_.size(); ++i, ++it) {
      if (it == hosts_.end()) it = hosts_.begin();
      const Host& h = it->second;
      if (h.ready.empty() || h.limiter->nextSlot(now) > now || h.in_flight.size() >= roomFor(h, now)) continue;
      return it;
    }
    return hosts_.end();
  }

  // The next moment something is planned. Never `now` unless something is due now: a wait that
  // returns at once with nothing done would spin.
  TimePoint nextWake(TimePoint now) const {
    TimePoint wake = TimePoint::max();
    if (!stopping()) {
      wake = deadline_;
      if (flights_.size() < concurrency()) {
        for (const auto& [name, h] : hosts_) {
          if (h.ready.empty()) continue;
          // A host out of room waits for an answer, or for its oldest request to age (which
          // raises the latency it shows).
          if (h.in_flight.size() < roomFor(h, now)) {
            wake = std::min(wake, h.limiter->nextSlot(now));
          } else {
            wake = std::min(wake, now + Millis(100));
          }
        }
      }
      if (!delayed_.empty()) wake = std::min(wake, delayed_.begin()->first);
    }
    for (const auto& [id, f] : flights_) {
      if (!f.aborted) wake = std::min(wake, f.deadline);
    }
    if (!pending_.empty()) wake = std::min(wake, first_pending_ + opt_.commit_interval);
    if (!stopping()) wake = std::min(wake, last_progress_ + opt_.progress_interval);
    return std::max(wake, now);
  }

  void waitFor(TimePoint until) {
    for (auto& done : s_.api_.wait(until)) {
      auto it = flights_.find(done.id);
      if (it == flights_.end()) continue;  // not ours: cannot happen, but never index past it
      Flight f = std::move(it->second);
      flights_.erase(it);
      Host& host = hosts_.at(f.job.host);
      host.in_flight.erase(host.in_flight.find(f.sent_at));
      handle(std::move(f), std::move(done.result));
    }
  }

  // An answer or an error for one request: recorded, and the task's next step decided.
  void handle(Flight f, CheckResult result) {
    const TimePoint now = s_.clock_.now();
    AnswerRecord rec = recordOf(f, result);
    Host& host = hosts_.at(f.job.host);
    if (result.written_at && !f.aborted) {
      host.latency_ms += kLatencyWeight * (static_cast<double>(result.latency_ms) - host.latency_ms);
    }
    // The server spoke (a Status, or an error with its RequestId): not a transport failure.
    if (result.ok() || !result.error().api_request_id.empty()) host.answered = true;
    if (result.ok()) {
      onAnswer(std::move(rec), result.answer(), f.job.task_id, now);
    } else {
      onError(std::move(f), std::move(rec), result.error(), now);
    }
  }

  // The audit row of one request, as the checks table keeps it.
  AnswerRecord recordOf(const Flight& f, const CheckResult& result) const {
    AnswerRecord rec;
    rec.check.task_id = f.job.task_id;
    rec.check.run_id = run_id_;
    rec.check.checked_at = f.sent_at;
    rec.check.latency_ms = result.latency_ms;
    rec.check.endpoint_host = result.endpoint_host.empty() ? f.job.host : result.endpoint_host;
    if (result.written_at) rec.check.checked_at = std::max(f.sent_at, *result.written_at);
    if (result.ok()) {
      rec.check.outcome = "status:" + std::to_string(result.answer().status);
      rec.check.message = result.answer().message;
      rec.check.api_request_id = result.answer().api_request_id;
    } else {
      rec.check.outcome = result.error().code;
      rec.check.message = result.error().message;
      rec.check.api_request_id = result.error().api_request_id;
    }
    return rec;
  }

  // A Status: in progress (asked again at its poll interval), or resolved.
  void onAnswer(AnswerRecord rec, const StatusAnswer& a, std::int64_t task_id, TimePoint now) {
    const Task& task = known_.at(task_id).task;
    consecutive_failures_ = 0;
    ++outcome_.stats.checked;
    TaskUpdate u;
    u.last_status = a.status;
    u.message = a.message;
    u.load_balancer_ids = a.load_balancer_ids;
    u.last_error_code = "";
    u.last_error_message = "";
    if (a.status != 2) {
      resolve(std::move(rec), u, a.status == 0 ? TaskState::Succeeded : TaskState::Failed, task, now);
      return;
    }
    u.state = TaskState::InProgress;
    u.next_check_at = now + policy_.pollDelay(task.attempts + 1, rng_);
    rec.update = u;
    finish(std::move(rec), task.id);
  }

  // An error: the classifier's consequence says whether it concerns the host, the region, the
  // whole run, or this task alone.
  void onError(Flight f, AnswerRecord rec, const ApiError& e, TimePoint now) {
    Job& job = f.job;
    if (e.rate_limited) {
      onRateLimited(std::move(job), std::move(rec), e, f.sent_at, now);
    } else if (e.stale_connection && !job.resent && !stopping()) {
      // The connection died under a reused session: one immediate resend (through the limiter)
      // before it counts as an error. Audited, but not a check of the task.
      job.resent = true;
      pending(std::move(rec));
      hosts_.at(job.host).ready.push_front(std::move(job));
    } else if (e.consequence == ErrorConsequence::KeepWaiting) {
      keepWaiting(std::move(rec), e, known_.at(job.task_id).task, now);
    } else if (e.consequence == ErrorConsequence::ParkRegion) {
      pending(std::move(rec));  // audited; the task itself is left as it was, still due
      settle(job.task_id);
      park(job.query.region, e, now);
    } else if (e.consequence == ErrorConsequence::StopRun || e.consequence == ErrorConsequence::RefuseCredentials) {
      pending(std::move(rec));
      settle(job.task_id);
      stopForError(e);
    } else {
      onTaskError(std::move(job), std::move(rec), e, now);
    }
  }

  // Not a check of the task: slow this host down (every host, for a limit of the whole account:
  // the run serves one credential) and ask again.
  void onRateLimited(Job job, AnswerRecord rec, const ApiError& e, TimePoint sent_at, TimePoint now) {
    Host& host = hosts_.at(job.host);
    if (host.limiter->penalties() == 0) {
      s_.progress_.problem("rate limited by " + job.host + " (" + e.code + "); slowing " +
                           (e.account_wide ? "every host" : "down"));
    }
    if (e.account_wide) {
      for (auto& [name, h] : hosts_) h.limiter->penalizeShared(now, sent_at);
    } else {
      host.limiter->penalize(now, sent_at);
    }
    ++outcome_.stats.rate_limited;
    pending(std::move(rec));
    if (stopping()) {
      settle(job.task_id);
    } else {
      host.ready.push_front(std::move(job));
    }
  }

  void stopForError(const ApiError& e) {
    if (stopping() && outcome_.exit != ExitCode::Ok) return;
    s_.progress_.problem("stopping: " + e.code + ": " + e.message);
    stopWith(e.consequence == ErrorConsequence::RefuseCredentials ? ExitCode::AuthRefused : ExitCode::Failure,
             e.code + ": " + e.message);
  }

  // An error about this task: rejected for good, asked again by a later run, or retried in this
  // one after a backoff.
  void onTaskError(Job job, AnswerRecord rec, const ApiError& e, TimePoint now) {
    Tracked& tracked = known_.at(job.task_id);
    const Task& task = tracked.task;
    ++outcome_.stats.checked;
    ++outcome_.stats.errors;
    TaskUpdate u;
    u.state = task.state;
    u.last_error_code = e.code;
    u.last_error_message = e.message;
    if (e.consequence == ErrorConsequence::RejectAfterRepeats) {
      onFailedOperation(std::move(rec), u, e, tracked, now);
      return;
    }
    if (e.consequence == ErrorConsequence::RejectTask ||
        (e.unknown_code && ++tracked.unknown_codes >= opt_.max_unknown_code)) {
      consecutive_failures_ = 0;
      resolve(std::move(rec), u, TaskState::Rejected, task, now);
      return;
    }
    Millis delay = policy_.retryDelay(job.retry + 1, rng_);
    u.next_check_at = now + delay;
    rec.update = u;
    if (++consecutive_failures_ >= opt_.give_up_consecutive && !stopping()) {
      s_.progress_.problem("stopping: " + std::to_string(consecutive_failures_) +
                           " failures in a row, last " + e.code + ": " + e.message);
      stopWith(ExitCode::TryLater, "endpoint kept failing: " + e.code);
    }
    if (job.retry < opt_.max_retries && !stopping()) {
      ++job.retry;
      pending(std::move(rec));
      delayed_.emplace(now + delay, std::move(job));
      return;
    }
    finish(std::move(rec), task.id);  // retries used up: due again for the next run
  }

  // FailedOperation: rejected after max_failed_operations such answers over every run, else asked
  // again by a later run, after a backoff that grows with every such answer.
  void onFailedOperation(AnswerRecord rec, TaskUpdate u, const ApiError& e, Tracked& tracked, TimePoint now) {
    const Task& task = tracked.task;
    if (!tracked.earlier_failed_operations) tracked.earlier_failed_operations = s_.store_.countChecks(task.id, e.code);
    const auto seen = *tracked.earlier_failed_operations + ++tracked.failed_operations;
    if (seen >= opt_.max_failed_operations) {
      consecutive_failures_ = 0;
      resolve(std::move(rec), u, TaskState::Rejected, task, now);
      return;
    }
    u.next_check_at = now + policy_.failedOperationDelay(static_cast<int>(seen), rng_);
    rec.update = u;
    held_.insert(task.id);  // once per run: not fetched again, however long the run goes on
    finish(std::move(rec), task.id);
  }

  // A Status outside 0..2: an answer, but not one to act on. The task stays in progress, asked
  // again at its poll interval, with the raw answer in its check; said once per run.
  void keepWaiting(AnswerRecord rec, const ApiError& e, const Task& task, TimePoint now) {
    consecutive_failures_ = 0;
    ++outcome_.stats.checked;
    if (outcome_.unknown_statuses++ == 0) {
      s_.progress_.problem("an answer with a Status outside 0..2 (" + e.code + ", task " + task.request_id +
                           "): such tasks stay in progress; the raw answers are in their checks");
    }
    TaskUpdate u;
    u.state = TaskState::InProgress;
    u.next_check_at = now + policy_.pollDelay(task.attempts + 1, rng_);
    u.last_error_code = e.code;
    u.last_error_message = e.message;
    rec.update = u;
    finish(std::move(rec), task.id);
  }

  // The region's tasks are left due for a later run; the other regions go on.
  void park(const std::string& region, const ApiError& e, TimePoint now) {
    Region& r = regions_.at(region);
    if (r.parked) return;  // an answer that was already in flight
    r.parked = true;
    outcome_.parked_regions[region] = e.code + ": " + e.message;
    // One short clause: the message is in the ledger's parked_regions (report) and the checks.
    s_.progress_.problem("parked " + region + " (" + e.code + "): tasks stay due");
    for (auto& [name, host] : hosts_) {
      auto gone = std::stable_partition(host.ready.begin(), host.ready.end(),
                                        [&](const Job& j) { return j.query.region != region; });
      for (auto it = gone; it != host.ready.end(); ++it) settle(it->task_id);
      host.ready.erase(gone, host.ready.end());
    }
    for (auto it = delayed_.begin(); it != delayed_.end();) {
      if (it->second.query.region != region) {
        ++it;
        continue;
      }
      settle(it->second.task_id);
      it = delayed_.erase(it);
    }
    try {
      s_.store_.recordParkedRegion(run_id_, {opt_.profile, region, e.code, e.message, now});
    } catch (const store::LedgerBusy& busy) {
      s_.progress_.problem(std::string(busy.what()) + "; the parked region is only in the run's summary");
    }
  }

  // The tasks due now, every one (the batches read hold at most `batch` per region): counted as
  // the store steps over their ids, none of them read.
  std::int64_t countDue(TimePoint now) const {
    std::int64_t due = 0;
    s_.store_.dueTasks(opt_.profile, "", now, 1, [&due](std::int64_t) { return ++due > 0; });
    return due;
  }

  // The earliest due time of a task this run may still ask: not held for a later run.
  std::optional<TimePoint> nextAskableAt(TimePoint now, const std::string& region = "") const {
    const auto first = s_.store_.dueTasks(opt_.profile, region, now + kFarAhead, 1,
                                          [this](std::int64_t id) { return held_.count(id) > 0; });
    if (first.empty()) return std::nullopt;
    return first.front().next_check_at;
  }

  // Whether any unresolved task is left that this run may ask: not in a parked region, not held.
  bool anyLeftToAsk() const {
    const TimePoint now = s_.clock_.now();
    for (const auto& region : s_.store_.unresolvedRegions(opt_.profile)) {
      auto it = regions_.find(region);
      if (it != regions_.end() && it->second.parked) continue;
      if (nextAskableAt(now, region)) return true;
    }
    return false;
  }

  // Parked regions are a failure cron should report (exit 1), unless the run already failed worse.
  void endWithParkedRegions() {
    if (outcome_.parked_regions.empty()) return;
    std::string names;
    for (const auto& [region, why] : outcome_.parked_regions) {
      names += (names.empty() ? "" : ", ") + region + " (" + why.substr(0, why.find(':')) + ")";
    }
    if (outcome_.exit == ExitCode::Ok) outcome_.exit = ExitCode::Failure;
    outcome_.reason += "; parked " + names + ": tasks stay due";
  }

  // A final answer: the task leaves the unresolved set for good.
  void resolve(AnswerRecord rec, TaskUpdate u, TaskState state, const Task& task, TimePoint now) {
    u.state = state;
    u.resolved_at = now;
    u.next_check_at = task.next_check_at;
    ++outcome_.stats.resolved;
    rec.update = u;
    finish(std::move(rec), task.id);
  }

  void pending(AnswerRecord rec) {
    s_.progress_.answered(rec.check.endpoint_host, known_.at(rec.check.task_id).task.request_id, rec.check.outcome,
                          rec.check.latency_ms);
    if (pending_.empty()) first_pending_ = s_.clock_.now();
    pending_.push_back(std::move(rec));
  }

  // The task leaves this run once its answer is committed; one still unresolved that this run
  // may ask again is waiting on its next check (the ETA counts it).
  void finish(AnswerRecord rec, std::int64_t task_id) {
    if (rec.update && !rec.update->resolved_at && !held_.count(task_id)) {
      next_checks_[task_id] = rec.update->next_check_at;
    } else {
      next_checks_.erase(task_id);
    }
    pending(std::move(rec));
    settle(task_id);
  }
  void settle(std::int64_t task_id) { leaving_.push_back(task_id); }

  void commit() {
    if (pending_.empty() && leaving_.empty()) return;
    try {
      s_.store_.recordAnswers(pending_);
    } catch (const store::LedgerBusy& e) {
      // Another process held the ledger past the store's wait: keep every answer and try again.
      if (!commit_blocked_) s_.progress_.problem(std::string(e.what()) + "; answers kept, retrying");
      commit_blocked_ = true;
      last_busy_ = e;
      return;
    }
    commit_blocked_ = false;
    pending_.clear();
    // Only now may a refill see these tasks again: the ledger holds their new due times.
    for (auto id : leaving_) known_.erase(id);
    leaving_.clear();
  }

  // The last answers must reach the ledger: a few more waits, then the run fails (LedgerBusy, 75).
  void commitAtEnd() {
    for (int attempt = 0; attempt < kFinalCommitAttempts; ++attempt) {
      commit();
      if (!commit_blocked_) return;
    }
    throw *last_busy_;  // the answers are lost, but the run says so (exit 75) instead of 0
  }

  void reportProgress(TimePoint now, bool force) {
    if (!force && now < last_progress_ + opt_.progress_interval) return;
    last_progress_ = now;
    ProgressSnapshot snap;
    snap.stats = outcome_.stats;
    snap.elapsed = now - start_;
    snap.remaining = std::max<std::int64_t>(0, unresolved_at_start_ - outcome_.stats.resolved);
    snap.waiting = static_cast<std::int64_t>(delayed_.size() + next_checks_.size());
    double secs = static_cast<double>(snap.elapsed.count()) / 1000.0;
    snap.rate = secs > 0 ? static_cast<double>(outcome_.stats.checked) / secs : 0;
    snap.eta = eta(now, snap.remaining);
    snap.budget_left = std::max(Millis(0), std::chrono::duration_cast<Millis>(deadline_ - now));
    s_.progress_.progress(snap);
  }

  // What is left, counted from what the run holds: every remaining task asked at the rate of
  // the hosts with work, and the last backoff or next check waited for, whichever is longer.
  Millis eta(TimePoint now, std::int64_t remaining) const {
    if (remaining == 0) return Millis(0);
    std::size_t hosts_with_work = 0;
    double latency_ms = 0;
    for (const auto& [name, h] : hosts_) {
      if (h.ready.empty() && h.in_flight.empty()) continue;
      ++hosts_with_work;
      latency_ms = std::max(latency_ms, h.latency_ms);
    }
    const double rate = static_cast<double>(opt_.rate) * static_cast<double>(std::max<std::size_t>(1, hosts_with_work));
    // Without --until-done the run does not wait for a next check: those tasks are the next run's.
    const auto passed_on = opt_.until_done ? 0 : static_cast<std::int64_t>(next_checks_.size());
    const auto to_ask = static_cast<double>(
        std::max<std::int64_t>(0, remaining - passed_on - static_cast<std::int64_t>(flights_.size())));
    TimePoint last_wait = now;
    if (!delayed_.empty()) last_wait = std::max(last_wait, delayed_.rbegin()->first);
    if (opt_.until_done) {
      for (const auto& [id, at] : next_checks_) last_wait = std::max(last_wait, at);
    }
    const Millis asking(static_cast<long long>(to_ask / rate * 1000.0 + latency_ms));
    const Millis waiting = std::chrono::duration_cast<Millis>(last_wait - now) + Millis(static_cast<long long>(latency_ms));
    return std::max({asking, waiting, Millis(1000)});
  }

  Scheduler& s_;
  const SchedulerOptions& opt_;
  std::int64_t run_id_;
  std::mt19937_64 rng_;
  BackoffPolicy policy_;
  TimePoint start_, deadline_;
  TimePoint last_progress_{};
  TimePoint regions_refreshed_at_{};
  RunOutcome outcome_;
  std::int64_t unresolved_at_start_ = 0;
  bool stopping_ = false;
  bool commit_blocked_ = false;  // the last commit found the ledger busy; its answers are kept
  std::optional<store::LedgerBusy> last_busy_;
  bool signalled_ = false;
  int consecutive_failures_ = 0;

  std::map<std::string, Host> hosts_;
  std::map<std::string, Region> regions_;
  std::string last_host_;
  std::unordered_map<std::int64_t, Tracked> known_;  // every task this run holds in memory
  std::unordered_set<std::int64_t> held_;             // asked once, left to a later run (FailedOperation)
  std::map<std::int64_t, TimePoint> next_checks_;     // answered, unresolved, due again at: for the ETA
  std::multimap<TimePoint, Job> delayed_;             // retries waiting for their backoff
  std::map<TaskStatusApi::CallId, Flight> flights_;   // requests in flight
  TaskStatusApi::CallId next_call_ = 1;
  std::vector<AnswerRecord> pending_;                 // answers not yet committed
  std::vector<std::int64_t> leaving_;                 // tasks to forget once committed
  std::set<std::int64_t> named_unreadable_;           // tasks whose garbled times were named
  TimePoint first_pending_{};
};

Scheduler::Scheduler(store::TaskStore& store, TaskStatusApi& api, Clock& clock, HostFor host_for,
                     SchedulerOptions options, RunProgress& progress)
    : store_(store), api_(api), clock_(clock), host_for_(std::move(host_for)),
      options_(std::move(options)), progress_(progress) {}

RunOutcome Scheduler::run(std::int64_t run_id) {
  Run run(*this, run_id);
  return run.execute();
}

void Scheduler::stop(int signal_number) {
  stop_signal_.store(signal_number);
  api_.wake();
}

}  // namespace taskledger::scheduler
