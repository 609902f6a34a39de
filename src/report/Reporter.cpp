#include "taskledger/report/Reporter.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

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
  l.actor = t.actor;
  l.source_ip = t.source_ip;
  return l;
}

// One hour, or as many whole hours as keep a long window within kMaxBuckets slices.
Millis bucketFor(const Window& w) {
  const std::int64_t hour = 3'600'000;
  const std::int64_t hours = std::max<std::int64_t>(1, ((w.until - w.since).count() + hour - 1) / hour);
  return Millis(hour * ((hours + kMaxBuckets - 1) / kMaxBuckets));
}

// The slice that holds `t`, or nullptr outside the window.
TimeBucket* bucketOf(Summary& s, TimePoint t) {
  if (t < s.window.since || t >= s.window.until || s.bucket.count() <= 0) return nullptr;
  const auto i = static_cast<std::size_t>((t - s.window.since) / s.bucket);
  return i < s.over_time.size() ? &s.over_time[i] : nullptr;
}

bool largerGroupFirst(const ReasonGroup& a, const ReasonGroup& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.task_class != b.task_class) return a.task_class == TaskClass::Failed;
  return std::tie(a.message, a.error_code) < std::tie(b.message, b.error_code);
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

SummaryBuilder::SummaryBuilder(const ReportRequest& request, TimePoint now, std::optional<Millis> bucket) {
  summary_.window = request.window;
  summary_.filters = request.filters;
  summary_.stuck_after = request.stuck_after;
  summary_.utc = request.utc;
  summary_.generated_at = now;
  summary_.partial = request.window.until > now;
  summary_.bucket = bucket ? *bucket : bucketFor(request.window);
  const TimePoint end = std::min(request.window.until, now);
  for (TimePoint from = request.window.since; from < end; from += summary_.bucket) {
    summary_.over_time.push_back(TimeBucket{from});
  }
}

void SummaryBuilder::addReason(std::map<std::string, ReasonAcc, std::less<>>& groups, std::string_view key,
                               TaskClass c, const store::WindowTask& t) {
  auto it = groups.lower_bound(key);
  if (it == groups.end() || it->first != key) {
    ReasonAcc acc;
    acc.group.task_class = c;
    acc.group.example_request_id = t.request_id;
    acc.group.message = normalisedMessage(t.message.empty() ? t.last_error_message : t.message, t.region);
    if (c == TaskClass::Rejected) acc.group.error_code = t.last_error_code;
    it = groups.emplace_hint(it, std::string(key), std::move(acc));
  }
  ReasonAcc& acc = it->second;
  ++acc.group.count;
  if (acc.group.example_request_ids.size() < kReasonExamples) acc.group.example_request_ids.emplace_back(t.request_id);
  for (auto [set, value] : {std::pair{&acc.regions, t.region}, {&acc.operations, t.operation}, {&acc.actors, t.actor}}) {
    if (set->find(value) == set->end()) set->emplace(value);
  }
}

namespace {

// Failed tasks group by their message, rejected ones by code and message; either normalised.
std::string reasonKey(TaskClass c, const store::WindowTask& t) {
  const std::string message = normalisedMessage(t.message.empty() ? t.last_error_message : t.message, t.region);
  return c == TaskClass::Rejected ? std::string(t.last_error_code) + '\x1f' + message : message;
}

}  // namespace

void SummaryBuilder::addStuck(const store::WindowTask& t) {
  const Millis age = summary_.generated_at - t.submitted_at;
  StuckGroup& g = stuck_[{std::string(t.profile), std::string(t.region), ageBand(age)}];
  ++g.count;
  if (t.attempts == 0) ++g.never_checked;
  g.oldest = std::max(g.oldest, age);
}

void SummaryBuilder::addParked(const std::vector<store::ParkedRow>& rows) {
  parked_.insert(parked_.end(), rows.begin(), rows.end());
}

void SummaryBuilder::add(const store::WindowTask& t) {
  const TimePoint now = summary_.generated_at;
  const TaskClass c = classify(t.state, t.submitted_at, now, summary_.stuck_after);
  summary_.totals.add(c);
  countsFor(summary_.by_region, t.region).add(c);
  countsFor(summary_.by_operation, t.operation).add(c);
  if (t.actor.empty()) {
    ++summary_.without_actor;
    summary_.without_actor_counts.add(c);
  } else {
    countsFor(summary_.by_actor, t.actor).add(c);
  }
  if (TimeBucket* b = bucketOf(summary_, t.submitted_at)) ++b->submitted;
  switch (c) {
    case TaskClass::Succeeded:
    case TaskClass::Failed:
      if (t.resolved_at) {
        resolution_ms_.push_back(std::max<std::int64_t>(0, (*t.resolved_at - t.submitted_at).count()));
        if (TimeBucket* b = bucketOf(summary_, *t.resolved_at)) {
          ++b->resolved;
          if (c == TaskClass::Failed) ++b->failed;
        }
      }
      if (c == TaskClass::Failed) {
        summary_.failed.push_back(listed(t, c, now));
        addReason(failed_by_message_, reasonKey(c, t), c, t);
      }
      break;
    case TaskClass::Rejected:
      summary_.rejected.push_back(listed(t, c, now));
      addReason(rejected_by_code_, reasonKey(c, t), c, t);
      break;
    case TaskClass::Stuck:
      summary_.stuck.push_back(listed(t, c, now));
      addStuck(t);
      [[fallthrough]];
    case TaskClass::InProgress:
    case TaskClass::Pending: {
      Unresolved& u = unresolved_[{std::string(t.profile), std::string(t.region)}];
      ++u.count;
      if (t.attempts == 0) {
        if (u.never_checked == 0 || t.submitted_at < u.oldest_never_checked) u.oldest_never_checked = t.submitted_at;
        ++u.never_checked;
      }
      break;
    }
    default: break;
  }
}

void SummaryBuilder::finishPercentiles() {
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
}

void SummaryBuilder::finishReasons() {
  for (auto* groups : {&failed_by_message_, &rejected_by_code_}) {
    for (auto& [key, acc] : *groups) {
      acc.group.regions.assign(acc.regions.begin(), acc.regions.end());
      acc.group.operations.assign(acc.operations.begin(), acc.operations.end());
      acc.group.actors.assign(acc.actors.begin(), acc.actors.end());
      summary_.failure_reasons.push_back(std::move(acc.group));
    }
    groups->clear();
  }
  std::sort(summary_.failure_reasons.begin(), summary_.failure_reasons.end(), largerGroupFirst);
}

void SummaryBuilder::finishNotChecked() {
  for (const auto& [key, u] : unresolved_) {
    if (u.never_checked == 0) continue;
    summary_.never_checked.push_back({key.first, key.second, u.never_checked, u.oldest_never_checked, std::nullopt});
    summary_.never_checked_total += u.never_checked;
  }
  using Key = std::tuple<std::string, std::string, std::string>;  // profile, region, code
  std::map<Key, ParkedRegion> parked;
  std::set<std::pair<Key, std::int64_t>> runs;
  for (const store::ParkedRow& row : parked_) {
    Key key{row.profile, row.region, row.code};
    auto [it, fresh] = parked.try_emplace(key);
    ParkedRegion& p = it->second;
    if (fresh) {
      p = ParkedRegion{row.profile, row.region, row.code, "", row.parked_at, row.parked_at, 0, 0};
      auto u = unresolved_.find({row.profile, row.region});
      if (u != unresolved_.end()) p.unresolved = u->second.count;
    }
    p.since = std::min(p.since, row.parked_at);
    p.last = std::max(p.last, row.parked_at);
    p.message = row.message;  // rows come in parked_at order: the latest wins
    if (runs.emplace(key, row.run_id).second) ++p.runs;
  }
  for (auto& [key, p] : parked) summary_.parked_regions.push_back(std::move(p));
  parked_.clear();
  unresolved_.clear();
  finishStuckGroups();
  for (NeverChecked& n : summary_.never_checked) n.parked = parkingReason(n.profile, n.region);
}

// The latest parking of the region in the window, whatever its code.
std::optional<ParkingReason> SummaryBuilder::parkingReason(const std::string& profile, const std::string& region) const {
  const ParkedRegion* latest = nullptr;
  for (const ParkedRegion& p : summary_.parked_regions) {
    if (p.profile == profile && p.region == region && (!latest || p.last > latest->last)) latest = &p;
  }
  if (!latest) return std::nullopt;
  return ParkingReason{latest->code, latest->message};
}

void SummaryBuilder::finishStuckGroups() {
  for (auto& [key, g] : stuck_) {
    g.profile = std::get<0>(key);
    g.region = std::get<1>(key);
    g.age_band = std::get<2>(key);
    g.parked = parkingReason(g.profile, g.region);
    summary_.stuck_groups.push_back(std::move(g));
  }
  stuck_.clear();
  std::stable_sort(summary_.stuck_groups.begin(), summary_.stuck_groups.end(),
                   [](const StuckGroup& a, const StuckGroup& b) { return a.count > b.count; });
}

Summary SummaryBuilder::finish() {
  finishPercentiles();
  finishReasons();
  finishNotChecked();
  return std::move(summary_);
}

namespace {

// The states whose tasks the report lists or groups (failed, rejected, and stuck among the
// unresolved): only they need their ids and messages read.
// How many of the tasks no window can hold a report names.
constexpr std::size_t kOutOfRangeNamed = 3;

const std::vector<TaskState> kListedStates = {TaskState::Failed, TaskState::Rejected, TaskState::Pending,
                                              TaskState::InProgress};

// The span of the window before that the current one is compared with. When the current window
// reaches past `now` (today), only the span that has happened counts: a partial day is never
// compared with a whole one.
Window comparedSpan(const ReportRequest& request, bool partial, TimePoint now) {
  Window before = request.previous.value_or(previousWindow(request.window, request.utc));
  if (partial && now > request.window.since) {
    before.until = std::min(before.until, before.since + (now - request.window.since));
  }
  return before;
}

store::WindowFilter windowFilter(const Window& w, const Filters& f) {
  return {w.since, w.until, f.region, f.profile, f.operation, kListedStates};
}

// The window before in full (--compare-previous), read the same way as the current one.
Previous previousOf(store::ReportQueries& queries, const ReportRequest& request, const Window& span,
                    Millis bucket, TimePoint now) {
  ReportRequest before = request;
  before.window = span;
  before.previous.reset();
  SummaryBuilder builder(before, now, bucket);
  const store::WindowFilter filter = windowFilter(span, request.filters);
  queries.forEachTaskInWindow(filter, [&](const store::WindowTask& t) { builder.add(t); });
  builder.addParked(queries.parkedRegions(filter));
  Summary s = builder.finish();
  return Previous{span, s.totals, headlineCounts(s), std::move(s.over_time)};
}

// Only the headline's counts of the window before, classified as SummaryBuilder classifies
// them, from the tasks that can need a person (kListedStates) and only the index's columns: so
// that every report can show each headline count's change at a fraction of a second report's cost.
HeadlineCounts headlineCountsOf(store::ReportQueries& queries, const ReportRequest& request, const Window& span,
                                TimePoint now) {
  HeadlineCounts h;
  const store::WindowFilter filter = windowFilter(span, request.filters);
  queries.forEachOutlineInWindow(filter, kListedStates, [&](const store::TaskOutline& t) {
    switch (classify(t.state, t.submitted_at, now, request.stuck_after)) {
      case TaskClass::Failed: ++h.failed; break;
      case TaskClass::Rejected: ++h.rejected; break;
      case TaskClass::Stuck: ++h.stuck; [[fallthrough]];
      case TaskClass::InProgress:
      case TaskClass::Pending: h.never_checked += t.attempts == 0 ? 1 : 0; break;
      case TaskClass::Succeeded:
      case TaskClass::Expired: break;
    }
  });
  h.parked_regions = distinctRegions(queries.parkedRegions(filter));
  return h;
}

}  // namespace

Summary summarize(store::Database& db, const ReportRequest& request, TimePoint now) {
  SummaryBuilder builder(request, now);
  const store::WindowFilter filter = windowFilter(request.window, request.filters);
  store::ReportQueries queries(db);
  queries.forEachTaskInWindow(filter, [&](const store::WindowTask& t) { builder.add(t); });
  builder.addParked(queries.parkedRegions(filter));
  Summary s = builder.finish();
  s.unreadable = queries.unreadable();  // of this window: the previous one's are its own report's
  const auto outside = queries.outOfRange(kEarliestSaneTime, now + kMaxFutureSkew, kOutOfRangeNamed);
  s.out_of_range = outside.count;
  s.out_of_range_first = outside.first;
  const Window span = comparedSpan(request, s.partial, now);
  if (request.previous) {
    s.previous = previousOf(queries, request, span, s.bucket, now);
    s.before = HeadlineBefore{span, s.previous->headline};
  } else {
    s.before = HeadlineBefore{span, headlineCountsOf(queries, request, span, now)};
  }
  s.ledger = std::filesystem::absolute(db.path()).lexically_normal().string();
  s.time_zone = describeTimeZone(request.window, request.utc);
  if (auto run = store::TaskRepository(db).lastRun()) {
    s.last_run = LastRun{run->started_at, run->finished_at, run->exit_reason};
  }
  return s;
}

}  // namespace taskledger::report
