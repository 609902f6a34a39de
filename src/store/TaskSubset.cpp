#include "taskledger/store/TaskSubset.h"

#include <algorithm>
#include <set>

namespace taskledger::store {

TaskSubset::TaskSubset(TaskStore& ledger, Load load) : ledger_(ledger), load_(std::move(load)) {}

std::vector<Task> TaskSubset::unresolved(const std::string& profile) const {
  std::vector<Task> out;
  for (auto& t : load_()) {
    if (t.profile == profile && isUnresolved(t.state)) out.push_back(std::move(t));
  }
  return out;
}

std::vector<Task> TaskSubset::dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                                       std::size_t limit, const SkipTask& skip) {
  std::vector<Task> due;
  for (auto& t : unresolved(profile)) {
    if ((region.empty() || t.region == region) && t.next_check_at <= now && !(skip && skip(t.id))) {
      due.push_back(std::move(t));
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const Task& a, const Task& b) { return a.next_check_at < b.next_check_at; });
  if (due.size() > limit) due.resize(limit);
  return due;
}

std::vector<std::string> TaskSubset::unresolvedRegions(const std::string& profile) {
  std::set<std::string> regions;
  for (const auto& t : unresolved(profile)) regions.insert(t.region);
  return {regions.begin(), regions.end()};
}

std::optional<TimePoint> TaskSubset::nextDueAt(const std::string& profile) {
  std::optional<TimePoint> next;
  for (const auto& t : unresolved(profile)) {
    if (!next || t.next_check_at < *next) next = t.next_check_at;
  }
  return next;
}

std::int64_t TaskSubset::countUnresolved(const std::string& profile) {
  return static_cast<std::int64_t>(unresolved(profile).size());
}

std::vector<std::string> TaskSubset::profilesToRun(TimePoint now, bool any_unresolved) {
  std::set<std::string> out;
  for (const auto& t : load_()) {
    if (isUnresolved(t.state) && (any_unresolved || t.next_check_at <= now)) out.insert(t.profile);
  }
  return {out.begin(), out.end()};
}

std::int64_t TaskSubset::expireUnresolved(const std::string&, TimePoint, TimePoint) { return 0; }

std::unique_ptr<TaskWriter> TaskSubset::beginImport(TimePoint now) { return ledger_.beginImport(now); }

void TaskSubset::recordAnswers(const std::vector<AnswerRecord>& records) { ledger_.recordAnswers(records); }

std::vector<TimePoint> TaskSubset::sendsSince(const std::string& host, TimePoint since) {
  return ledger_.sendsSince(host, since);
}

std::int64_t TaskSubset::countChecks(std::int64_t task_id, const std::string& outcome) {
  return ledger_.countChecks(task_id, outcome);
}

void TaskSubset::recordParkedRegion(std::int64_t run_id, const ParkedRegionRecord& parked) {
  ledger_.recordParkedRegion(run_id, parked);
}

std::int64_t TaskSubset::beginRun(const RunRecord& run) { return ledger_.beginRun(run); }

void TaskSubset::finishRun(std::int64_t run_id, TimePoint finished_at, const RunStats& stats,
                           const std::string& exit_reason) {
  ledger_.finishRun(run_id, finished_at, stats, exit_reason);
}

}  // namespace taskledger::store
