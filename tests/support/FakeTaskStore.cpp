#include "support/FakeTaskStore.h"

#include <algorithm>
#include <set>

namespace taskledger::testing {
namespace {

bool unresolved(const Task& t) { return isUnresolved(t.state); }

}  // namespace

// Stages rows until commit(), like one IMMEDIATE transaction.
class FakeTaskStore::Writer final : public store::TaskWriter {
 public:
  Writer(FakeTaskStore& store, TimePoint now) : store_(store), now_(now) {}
  ~Writer() override {
    if (committed_) return;
    std::lock_guard lock(store_.mutex_);
    ++store_.rollbacks_;
  }

  bool insert(const NewTask& t) override {
    std::lock_guard lock(store_.mutex_);
    store_.throwIfFailing();
    std::string key = keyOf(t.profile, t.region, t.request_id);
    if (store_.keys_.count(key) || !staged_keys_.insert(key).second) return false;
    Task row;
    row.profile = t.profile;
    row.region = t.region;
    row.request_id = t.request_id;
    row.operation = t.operation;
    row.resource = t.resource;
    row.source = t.source;
    row.submitted_at = t.submitted_at.value_or(now_);
    row.actor = t.actor;
    row.deal_name = t.deal_name;
    row.source_ip = t.source_ip;
    row.imported_at = now_;
    row.next_check_at = now_;  // due at once
    staged_.push_back(std::move(row));
    return true;
  }

  void commit() override {
    std::lock_guard lock(store_.mutex_);
    store_.throwIfFailing();
    for (auto& row : staged_) {
      row.id = store_.next_task_id_++;
      store_.keys_.insert(keyOf(row.profile, row.region, row.request_id));
      store_.tasks_.push_back(std::move(row));
    }
    staged_.clear();
    ++store_.commits_;
    committed_ = true;
  }

 private:
  FakeTaskStore& store_;
  TimePoint now_;
  std::vector<Task> staged_;
  std::set<std::string> staged_keys_;
  bool committed_ = false;
};

std::string FakeTaskStore::keyOf(const std::string& profile, const std::string& region,
                                 const std::string& request_id) {
  return profile + '\n' + region + '\n' + request_id;
}

void FakeTaskStore::throwIfFailing() const {
  if (fail_writes_) throw std::runtime_error("fake store: write failed");
}

std::unique_ptr<store::TaskWriter> FakeTaskStore::beginImport(TimePoint now) {
  return std::make_unique<Writer>(*this, now);
}

std::vector<Task> FakeTaskStore::dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                                          std::size_t limit, const SkipTask& skip) {
  std::lock_guard lock(mutex_);
  std::vector<Task> out;
  for (const auto& t : tasks_) {
    if (skip && skip(t.id)) continue;
    if (unresolved(t) && t.profile == profile && (region.empty() || t.region == region) && t.next_check_at <= now) {
      out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end(), [](const Task& a, const Task& b) {
    return a.next_check_at != b.next_check_at ? a.next_check_at < b.next_check_at : a.id < b.id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<std::string> FakeTaskStore::unresolvedRegions(const std::string& profile) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& t : tasks_) {
    if (unresolved(t) && t.profile == profile) out.push_back(t.region);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<TimePoint> FakeTaskStore::nextDueAt(const std::string& profile) {
  std::lock_guard lock(mutex_);
  std::optional<TimePoint> next;
  for (const auto& t : tasks_) {
    if (unresolved(t) && t.profile == profile && (!next || t.next_check_at < *next)) next = t.next_check_at;
  }
  return next;
}

std::int64_t FakeTaskStore::countUnresolved(const std::string& profile) {
  std::lock_guard lock(mutex_);
  return std::count_if(tasks_.begin(), tasks_.end(),
                       [&](const Task& t) { return unresolved(t) && t.profile == profile; });
}

std::vector<std::string> FakeTaskStore::profilesToRun(TimePoint now, bool any_unresolved) {
  std::lock_guard lock(mutex_);
  std::set<std::string> out;
  for (const auto& t : tasks_) {
    if (unresolved(t) && (any_unresolved || t.next_check_at <= now)) out.insert(t.profile);
  }
  return {out.begin(), out.end()};
}

std::int64_t FakeTaskStore::expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) {
  std::lock_guard lock(mutex_);
  throwIfFailing();
  std::int64_t n = 0;
  for (auto& t : tasks_) {
    if (unresolved(t) && t.profile == profile && t.submitted_at < cutoff && t.last_checked_at) {
      t.state = TaskState::Expired;
      t.resolved_at = now;
      ++n;
    }
  }
  return n;
}

void FakeTaskStore::recordAnswers(const std::vector<store::AnswerRecord>& records) {
  std::lock_guard lock(mutex_);
  throwIfFailing();
  for (const auto& r : records) {
    Check c = r.check;
    c.id = next_check_id_++;
    checks_.push_back(c);
    auto it = std::find_if(tasks_.begin(), tasks_.end(), [&](const Task& t) { return t.id == c.task_id; });
    if (it == tasks_.end()) throw std::runtime_error("fake store: no task " + std::to_string(c.task_id));
    // The same rules as the SQL: every check counts as an attempt; unset optionals keep the
    // stored value.
    Task& t = *it;
    if (!r.update) {
      ++t.attempts;
      continue;
    }
    const store::TaskUpdate& u = *r.update;
    t.state = u.state;
    if (u.last_status) t.last_status = u.last_status;
    ++t.attempts;
    t.next_check_at = u.next_check_at;
    t.last_checked_at = c.checked_at;
    if (u.resolved_at) t.resolved_at = u.resolved_at;
    if (u.message) t.message = *u.message;
    if (u.load_balancer_ids) t.load_balancer_ids = *u.load_balancer_ids;
    if (u.last_error_code) t.last_error_code = *u.last_error_code;
    if (u.last_error_message) t.last_error_message = *u.last_error_message;
    if (!c.api_request_id.empty()) t.last_api_request_id = c.api_request_id;
  }
}

std::vector<TimePoint> FakeTaskStore::sendsSince(const std::string& host, TimePoint since) {
  std::lock_guard lock(mutex_);
  std::vector<TimePoint> out;
  for (const auto& c : checks_) {
    if (c.endpoint_host == host && c.checked_at >= since) out.push_back(c.checked_at);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t FakeTaskStore::countChecks(std::int64_t task_id, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  return std::count_if(checks_.begin(), checks_.end(),
                       [&](const Check& c) { return c.task_id == task_id && c.outcome == outcome; });
}

void FakeTaskStore::recordParkedRegion(std::int64_t run_id, const store::ParkedRegionRecord& parked) {
  std::lock_guard lock(mutex_);
  throwIfFailing();
  parked_.push_back({run_id, parked});
}

std::vector<std::pair<std::int64_t, store::ParkedRegionRecord>> FakeTaskStore::parkedRegions() const {
  std::lock_guard lock(mutex_);
  return parked_;
}

std::int64_t FakeTaskStore::beginRun(const store::RunRecord& run) {
  std::lock_guard lock(mutex_);
  throwIfFailing();
  runs_.push_back(run);
  runs_.back().id = next_run_id_++;
  return runs_.back().id;
}

void FakeTaskStore::finishRun(std::int64_t run_id, TimePoint finished_at, const store::RunStats& stats,
                              const std::string& exit_reason) {
  std::lock_guard lock(mutex_);
  throwIfFailing();
  for (auto& r : runs_) {
    if (r.id != run_id) continue;
    r.finished_at = finished_at;
    r.stats = stats;
    r.exit_reason = exit_reason;
  }
}

std::vector<Task> FakeTaskStore::tasks() const {
  std::lock_guard lock(mutex_);
  return tasks_;
}

std::optional<Task> FakeTaskStore::task(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  for (const auto& t : tasks_) {
    if (t.id == id) return t;
  }
  return std::nullopt;
}

std::vector<Check> FakeTaskStore::checks() const {
  std::lock_guard lock(mutex_);
  return checks_;
}

std::vector<store::RunRecord> FakeTaskStore::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

int FakeTaskStore::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

int FakeTaskStore::rollbacks() const {
  std::lock_guard lock(mutex_);
  return rollbacks_;
}

std::int64_t FakeTaskStore::addTask(Task task) {
  std::lock_guard lock(mutex_);
  task.id = next_task_id_++;
  keys_.insert(keyOf(task.profile, task.region, task.request_id));
  tasks_.push_back(std::move(task));
  return tasks_.back().id;
}

void FakeTaskStore::setFailWrites(bool fail) {
  std::lock_guard lock(mutex_);
  fail_writes_ = fail;
}

}  // namespace taskledger::testing
