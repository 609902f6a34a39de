#include "taskledger/report/Reporter.h"

#include <algorithm>
#include <filesystem>

#include "taskledger/store/TaskRepository.h"

namespace taskledger::report {
namespace {

// Looks up by string_view: a string is built only for a key seen for the first time.
ClassCounts& countsFor(std::map<std::string, ClassCounts, std::less<>>& m, std::string_view key) {
  auto it = m.lower_bound(key);
  if (it == m.end() || it->first != key) it = m.emplace_hint(it, std::string(key), ClassCounts{});
  return it->second;
}

ListedTask listed(const store::WindowTask& t, TaskClass c, TimePoint now) {
  ListedTask l;
  l.task_class = c;
  l.state = t.state;
  l.request_id = t.request_id;
  l.region = t.region;
  l.profile = t.profile;
  l.operation = t.operation;
  l.resource = t.resource;
  l.submitted_at = t.submitted_at;
  l.resolved_at = t.resolved_at;
  l.age = now - t.submitted_at;
  l.attempts = t.attempts;
  l.message = !t.message.empty() ? t.message : t.last_error_message;
  l.last_error_code = t.last_error_code;
  return l;
}

// Nearest rank: the smallest value with at least p% of the values at or below it.
// `sorted_from` is where nth_element may start (ranks are asked in increasing order).
Millis nearestRank(std::vector<std::int64_t>& v, int percent, std::size_t& sorted_from) {
  std::size_t rank = (v.size() * static_cast<std::size_t>(percent) + 99) / 100;  // ceil, 1-based
  std::size_t k = std::max<std::size_t>(rank, 1) - 1;
  auto first = v.begin() + static_cast<std::ptrdiff_t>(sorted_from);
  std::nth_element(first, v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  sorted_from = k;
  return Millis(v[k]);
}

}  // namespace

SummaryBuilder::SummaryBuilder(const ReportRequest& request, TimePoint now) {
  summary_.window = request.window;
  summary_.filters = request.filters;
  summary_.stuck_after = request.stuck_after;
  summary_.utc = request.utc;
  summary_.generated_at = now;
}

void SummaryBuilder::add(const store::WindowTask& t) {
  const TimePoint now = summary_.generated_at;
  const TaskClass c = classify(t.state, t.submitted_at, now, summary_.stuck_after);
  summary_.totals.add(c);
  countsFor(summary_.by_region, t.region).add(c);
  countsFor(summary_.by_operation, t.operation).add(c);
  switch (c) {
    case TaskClass::Succeeded:
    case TaskClass::Failed:
      if (t.resolved_at) resolution_ms_.push_back(std::max<std::int64_t>(0, (*t.resolved_at - t.submitted_at).count()));
      if (c == TaskClass::Failed) summary_.failed.push_back(listed(t, c, now));
      break;
    case TaskClass::Stuck: summary_.stuck.push_back(listed(t, c, now)); break;
    case TaskClass::Rejected: summary_.rejected.push_back(listed(t, c, now)); break;
    default: break;
  }
}

Summary SummaryBuilder::finish() {
  if (!resolution_ms_.empty()) {
    Resolution r;
    r.count = static_cast<std::int64_t>(resolution_ms_.size());
    std::size_t from = 0;
    r.p50 = nearestRank(resolution_ms_, 50, from);
    r.p90 = nearestRank(resolution_ms_, 90, from);
    r.p99 = nearestRank(resolution_ms_, 99, from);
    r.max = nearestRank(resolution_ms_, 100, from);
    summary_.resolution = r;
  }
  resolution_ms_.clear();
  return std::move(summary_);
}

Summary summarize(store::Database& db, const ReportRequest& request, TimePoint now) {
  SummaryBuilder builder(request, now);
  store::WindowFilter filter{request.window.since, request.window.until, request.filters.region,
                             request.filters.profile, request.filters.operation};
  store::ReportQueries(db).forEachTaskInWindow(filter, [&](const store::WindowTask& t) { builder.add(t); });
  Summary s = builder.finish();
  s.ledger = std::filesystem::absolute(db.path()).lexically_normal().string();
  s.time_zone = describeTimeZone(request.window, request.utc);
  if (auto run = store::TaskRepository(db).lastRun()) {
    s.last_run = LastRun{run->started_at, run->finished_at, run->exit_reason};
  }
  return s;
}

}  // namespace taskledger::report
