#include "taskledger/scheduler/Scheduler.h"

#include <algorithm>
#include <csignal>
#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "taskledger/store/LedgerBusy.h"

namespace taskledger::scheduler {
using store::AnswerRecord;
using store::TaskUpdate;

namespace {

// Codes that mean the credentials themselves are refused (exit 77), as opposed to a request the
// service cannot serve at all (InvalidAction, NoSuchVersion...: exit 1).
bool isCredentialRefusal(const std::string& code) {
  return code.rfind("AuthFailure", 0) == 0 || code.rfind("UnauthorizedOperation", 0) == 0 ||
         code == "IpInBlacklist" || code == "IpNotInWhitelist";
}

// Re-reads the ledger's regions this often, so tasks imported during a long run are seen.
constexpr Millis kRegionRefresh{30'000};
// How often a region whose due tasks were all fetched is asked again.
constexpr Millis kRefetchDrained{1'000};
// Each attempt waits the store's busy timeout (a minute for SQLite) before it fails.
constexpr int kFinalCommitAttempts = 3;

}  // namespace

// The state of one run. Lives on the stack of Scheduler::run(); touched by that thread only.
class Scheduler::Run {
 public:
  Run(Scheduler& s, std::int64_t run_id)
      : s_(s), opt_(s.options_), run_id_(run_id), rng_(opt_.seed), start_(s.clock_.now()),
        deadline_(start_ + opt_.max_duration) {}

  RunOutcome execute() {
    TimePoint now = s_.clock_.now();
    outcome_.expired = s_.store_.expireUnresolved(opt_.profile, now - opt_.give_up_after, now);
    unresolved_at_start_ = s_.store_.countUnresolved(opt_.profile);
    refreshRegions(now);
    refill(now);
    s_.progress_.started(static_cast<std::int64_t>(known_.size()), unresolved_at_start_, hosts_.size(),
                         s_.executor_.idle());
    loop();
    commitAtEnd();
    outcome_.unresolved_left = s_.store_.countUnresolved(opt_.profile);
    for (const auto& [name, h] : hosts_) {
      if (h.limiter.penalties()) outcome_.rate_limited_by_host[name] = h.limiter.penalties();
    }
    reportProgress(s_.clock_.now(), true);
    return outcome_;
  }

 private:
  struct Host {
    explicit Host(int rate) : limiter(rate) {}
    std::deque<Job> ready;
    RateLimiter limiter;
  };
  struct Region {
    std::string host;
    bool drained = false;    // the last fetch found fewer due tasks than asked for
    TimePoint fetched_at{};  // when that fetch was made
  };
  struct Tracked {
    Task task;
    int unknown_codes = 0;
  };

  void loop() {
    while (true) {
      TimePoint now = s_.clock_.now();
      if (!stopping() && now >= deadline_) stopWith(ExitCode::Ok, "budget");
      if (int sig = s_.stop_signal_.load()) {
        if (!stopping()) stopWith(sig == SIGINT ? ExitCode::Interrupted : ExitCode::Terminated, "signal");
      }
      if (!stopping() && !commit_blocked_) {  // nothing new is sent while answers wait to be stored
        releaseDelayed(now);
        refill(now);
        dispatch(now);
      }
      if (pending_.size() >= opt_.commit_every || (!pending_.empty() && now >= first_pending_ + opt_.commit_interval)) {
        commit();
      }
      reportProgress(now, false);

      bool idle_run = in_flight_ == 0 && delayed_.empty() && readyCount() == 0;
      if (stopping() && in_flight_ == 0) return;
      if (idle_run) {
        commit();
        if (!opt_.until_done) {
          if (outcome_.reason.empty()) outcome_.reason = outcome_.stats.checked || outcome_.stats.rate_limited ? "done" : "nothing due";
          return;
        }
        auto next_due = s_.store_.nextDueAt(opt_.profile);
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
      waitFor(nextWake(now), answersMatter() ? Executor::Wake::OnResult : Executor::Wake::AtDeadline);
    }
  }

  // Whether an answer can change what happens before the next planned wake-up. While tasks are
  // ready and a call can start, only the limiter holds sends back: answers can wait for its next
  // slot (or commit_interval at most), which saves a wake-up per check.
  bool answersMatter() const { return stopping() || s_.executor_.idle() == 0 || readyCount() == 0; }

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
        h.limiter.seed(s_.store_.sendsSince(host, now - RateLimiter::kWindow - RateLimiter::kDefaultMargin));
        hosts_.emplace(host, std::move(h));
      }
    }
    regions_refreshed_at_ = now;
  }

  // Keeps each region's host queue stocked, region by region, so no region starves another.
  void refill(TimePoint now) {
    if (now - regions_refreshed_at_ >= kRegionRefresh) refreshRegions(now);
    for (auto& [region, r] : regions_) {
      Host& host = hosts_.at(r.host);
      // A drained region only gains due tasks as time passes: look again at most once a
      // second (poll intervals are 5 s and more), not after every commit.
      if ((r.drained && now - r.fetched_at < kRefetchDrained) || host.ready.size() >= opt_.batch / 2) continue;
      // The tasks this run holds are still due in the ledger until their answers are committed.
      auto tasks = s_.store_.dueTasks(opt_.profile, region, now, opt_.batch,
                                      [this](std::int64_t id) { return known_.count(id) > 0; });
      for (auto& t : tasks) {
        Job job;
        job.task_id = t.id;
        job.query = TaskQuery{t.region, t.request_id};
        job.host = r.host;
        host.ready.push_back(std::move(job));
        known_.emplace(t.id, Tracked{std::move(t), 0});
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

  // Sends what the limiters allow while the executor has room, rotating over hosts. A host with a
  // free connection already open to it goes first, so that connections do not pile up to
  // in-flight limit x hosts; the others still get the room left over.
  void dispatch(TimePoint now) {
    while (s_.executor_.idle() > 0) {
      auto it = nextSendable(now, true);
      if (it == hosts_.end()) it = nextSendable(now, false);
      if (it == hosts_.end()) return;
      Host& host = it->second;
      Job job = std::move(host.ready.front());
      host.ready.pop_front();
      host.limiter.reserve(now);
      job.sent_at = now;
      last_host_ = it->first;
      ++in_flight_;
      s_.executor_.submit(std::move(job));
    }
  }

  // The first host after the last one served, in rotation, with a task ready that its limiter
  // lets go now (and, when `warm_only`, a free connection open to it); hosts_.end() if none.
  std::map<std::string, Host>::iterator nextSendable(TimePoint now, bool warm_only) {
    auto it = hosts_.upper_bound(last_host_);
    for (std::size_t i = 0; i < hosts_.size(); ++i, ++it) {
      if (it == hosts_.end()) it = hosts_.begin();
      if (it->second.ready.empty() || it->second.limiter.nextSlot(now) > now) continue;
      if (warm_only && !s_.executor_.warmFor(it->first)) continue;
      return it;
    }
    return hosts_.end();
  }

  TimePoint nextWake(TimePoint now) const {
    TimePoint wake = deadline_;
    if (!stopping()) {
      if (s_.executor_.idle() > 0) {
        for (const auto& [name, h] : hosts_) {
          if (!h.ready.empty()) wake = std::min(wake, h.limiter.nextSlot(now));
        }
      }
      if (!delayed_.empty()) wake = std::min(wake, delayed_.begin()->first);
    }
    if (!pending_.empty()) wake = std::min(wake, first_pending_ + opt_.commit_interval);
    wake = std::min(wake, last_progress_ + opt_.progress_interval);
    return std::max(wake, now);
  }

  void waitFor(TimePoint until, Executor::Wake wake = Executor::Wake::OnResult) {
    if (wake == Executor::Wake::AtDeadline) until = std::min(until, s_.clock_.now() + opt_.commit_interval);
    for (auto& r : s_.executor_.takeResults(until, wake)) {
      --in_flight_;
      handle(std::move(r));
    }
  }

  void handle(JobResult r) {
    TimePoint now = s_.clock_.now();
    Tracked& tracked = known_.at(r.job.task_id);
    const Task& task = tracked.task;
    AnswerRecord rec;
    rec.check.task_id = task.id;
    rec.check.run_id = run_id_;
    rec.check.checked_at = r.job.sent_at;
    rec.check.latency_ms = r.result.latency_ms;
    rec.check.endpoint_host = r.result.endpoint_host.empty() ? r.job.host : r.result.endpoint_host;
    if (r.result.written_at) {
      hosts_.at(r.job.host).limiter.confirm(r.job.sent_at, *r.result.written_at);
      rec.check.checked_at = std::max(r.job.sent_at, *r.result.written_at);
    }

    if (r.result.ok()) {
      const StatusAnswer& a = r.result.answer();
      consecutive_failures_ = 0;
      ++outcome_.stats.checked;
      rec.check.outcome = "status:" + std::to_string(a.status);
      rec.check.message = a.message;
      rec.check.api_request_id = a.api_request_id;
      TaskUpdate u;
      u.last_status = a.status;
      u.message = a.message;
      u.load_balancer_ids = a.load_balancer_ids;
      u.last_error_code = "";
      u.last_error_message = "";
      if (a.status == 2) {
        u.state = TaskState::InProgress;
        u.next_check_at = now + policy_.pollDelay(task.attempts + 1, rng_);
        rec.update = u;
        finish(std::move(rec), task.id);
      } else {
        resolve(std::move(rec), u, a.status == 0 ? TaskState::Succeeded : TaskState::Failed, task, now);
      }
      return;
    }

    const ApiError& e = r.result.error();
    rec.check.outcome = e.code;
    rec.check.message = e.message;
    rec.check.api_request_id = e.api_request_id;

    if (e.rate_limited) {
      // Not a check of the task: slow this host down and ask again.
      Host& host = hosts_.at(r.job.host);
      if (host.limiter.penalties() == 0) {
        s_.progress_.problem("rate limited by " + r.job.host + " (" + e.code + "); slowing down");
      }
      host.limiter.penalize(now, r.job.sent_at);
      ++outcome_.stats.rate_limited;
      pending(std::move(rec));
      if (stopping()) {
        settle(task.id);
      } else {
        host.ready.push_front(std::move(r.job));
      }
      return;
    }
    if (e.stale_connection && !r.job.resent && !stopping()) {
      // The connection died under a reused session: one immediate resend (through the limiter)
      // before it counts as an error. Audited, but not a check of the task.
      r.job.resent = true;
      pending(std::move(rec));
      hosts_.at(r.job.host).ready.push_front(std::move(r.job));
      return;
    }
    if (e.consequence == ErrorConsequence::StopRun) {
      pending(std::move(rec));
      settle(task.id);
      if (!stopping() || outcome_.exit == ExitCode::Ok) {
        s_.progress_.problem("stopping: " + e.code + ": " + e.message);
        stopWith(isCredentialRefusal(e.code) ? ExitCode::AuthRefused : ExitCode::Failure, e.code + ": " + e.message);
      }
      return;
    }

    ++outcome_.stats.checked;
    ++outcome_.stats.errors;
    TaskUpdate u;
    u.state = task.state;
    u.last_error_code = e.code;
    u.last_error_message = e.message;
    bool refuse = e.consequence == ErrorConsequence::RejectTask ||
                  (e.unknown_code && ++tracked.unknown_codes >= opt_.max_unknown_code);
    if (refuse) {
      consecutive_failures_ = 0;
      resolve(std::move(rec), u, TaskState::Rejected, task, now);
      return;
    }
    Millis delay = policy_.retryDelay(r.job.retry + 1, rng_);
    u.next_check_at = now + delay;
    rec.update = u;
    if (++consecutive_failures_ >= opt_.give_up_consecutive && !stopping()) {
      s_.progress_.problem("stopping: " + std::to_string(consecutive_failures_) +
                           " failures in a row, last " + e.code + ": " + e.message);
      stopWith(ExitCode::TryLater, "endpoint kept failing: " + e.code);
    }
    if (r.job.retry < opt_.max_retries && !stopping()) {
      ++r.job.retry;
      pending(std::move(rec));
      delayed_.emplace(now + delay, std::move(r.job));
      return;
    }
    finish(std::move(rec), task.id);  // retries used up: due again for the next run
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
    if (pending_.empty()) first_pending_ = s_.clock_.now();
    pending_.push_back(std::move(rec));
  }

  // The task leaves this run once its answer is committed.
  void finish(AnswerRecord rec, std::int64_t task_id) {
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
    double secs = static_cast<double>(snap.elapsed.count()) / 1000.0;
    snap.rate = secs > 0 ? static_cast<double>(outcome_.stats.checked) / secs : 0;
    outcome_.stats = snap.stats;
    s_.progress_.progress(snap);
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
  int consecutive_failures_ = 0;
  std::size_t in_flight_ = 0;

  std::map<std::string, Host> hosts_;
  std::map<std::string, Region> regions_;
  std::string last_host_;
  std::unordered_map<std::int64_t, Tracked> known_;  // every task this run holds in memory
  std::multimap<TimePoint, Job> delayed_;             // retries waiting for their backoff
  std::vector<AnswerRecord> pending_;                 // answers not yet committed
  std::vector<std::int64_t> leaving_;                 // tasks to forget once committed
  TimePoint first_pending_{};
};

Scheduler::Scheduler(store::TaskStore& store, Executor& executor, Clock& clock, HostFor host_for,
                     SchedulerOptions options, RunProgress& progress)
    : store_(store), executor_(executor), clock_(clock), host_for_(std::move(host_for)),
      options_(std::move(options)), progress_(progress) {}

RunOutcome Scheduler::run(std::int64_t run_id) {
  Run run(*this, run_id);
  return run.execute();
}

void Scheduler::stop(int signal_number) {
  stop_signal_.store(signal_number);
  executor_.interrupt();
  clock_.wake();
}

}  // namespace taskledger::scheduler
