#include "SharedLedger.h"

namespace taskledger::scheduler {

using Lock = std::lock_guard<std::mutex>;

std::unique_ptr<store::TaskWriter> SharedLedger::beginImport(TimePoint now) {
  Lock lock(mutex_);
  return store_.beginImport(now);
}

std::vector<Task> SharedLedger::dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                                         std::size_t limit, const SkipTask& skip) {
  Lock lock(mutex_);
  return store_.dueTasks(profile, region, now, limit, skip);
}

std::vector<std::string> SharedLedger::unresolvedRegions(const std::string& profile) {
  Lock lock(mutex_);
  return store_.unresolvedRegions(profile);
}

std::optional<TimePoint> SharedLedger::nextDueAt(const std::string& profile) {
  Lock lock(mutex_);
  return store_.nextDueAt(profile);
}

std::int64_t SharedLedger::countUnresolved(const std::string& profile) {
  Lock lock(mutex_);
  return store_.countUnresolved(profile);
}

std::vector<std::string> SharedLedger::profilesToRun(TimePoint now, bool any_unresolved) {
  Lock lock(mutex_);
  return store_.profilesToRun(now, any_unresolved);
}

std::int64_t SharedLedger::expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) {
  Lock lock(mutex_);
  return store_.expireUnresolved(profile, cutoff, now);
}

void SharedLedger::recordAnswers(const std::vector<store::AnswerRecord>& records) {
  Lock lock(mutex_);
  store_.recordAnswers(records);
}

std::vector<TimePoint> SharedLedger::sendsSince(const std::string& host, TimePoint since) {
  Lock lock(mutex_);
  return store_.sendsSince(host, since);
}

std::int64_t SharedLedger::countChecks(std::int64_t task_id, const std::string& outcome) {
  Lock lock(mutex_);
  return store_.countChecks(task_id, outcome);
}

std::int64_t SharedLedger::beginRun(const store::RunRecord& run) {
  Lock lock(mutex_);
  return store_.beginRun(run);
}

void SharedLedger::finishRun(std::int64_t run_id, TimePoint finished_at, const store::RunStats& stats,
                             const std::string& exit_reason) {
  Lock lock(mutex_);
  store_.finishRun(run_id, finished_at, stats, exit_reason);
}

void SharedLedger::recordParkedRegion(std::int64_t run_id, const store::ParkedRegionRecord& parked) {
  Lock lock(mutex_);
  store_.recordParkedRegion(run_id, parked);
}

}  // namespace taskledger::scheduler
