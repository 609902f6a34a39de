#include "Sections.h"

#include <algorithm>
#include <cstdio>

#include "taskledger/domain/Duration.h"

namespace taskledger::report {
namespace {

std::string share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string plural(std::int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

enum class Kind { Plain, Numeric, Prose, Id };

void addColumn(Table& t, std::string name, Kind kind = Kind::Plain) {
  t.header.push_back(std::move(name));
  t.numeric.push_back(kind == Kind::Numeric);
  t.prose.push_back(kind == Kind::Prose);
  t.ids.push_back(kind == Kind::Id);
}

// A column that says nothing in any row only pushes the others off the screen.
void dropEmptyColumns(Table& t, bool zeros_are_empty = false) {
  for (std::size_t c = t.header.size(); c-- > 0;) {
    const bool empty = std::all_of(t.rows.begin(), t.rows.end(), [&](const std::vector<std::string>& r) {
      return r[c].empty() || (zeros_are_empty && t.numeric[c] && r[c] == "0");
    });
    if (!empty || t.rows.empty()) continue;
    for (auto* v : {&t.numeric, &t.prose, &t.ids}) v->erase(v->begin() + static_cast<std::ptrdiff_t>(c));
    t.header.erase(t.header.begin() + static_cast<std::ptrdiff_t>(c));
    for (auto& r : t.rows) r.erase(r.begin() + static_cast<std::ptrdiff_t>(c));
  }
}

Section totalsSection(const Summary& s) {
  Section sec{"totals", "Totals (" + plural(s.totals.total, "task") + ")", {}, "", ""};
  addColumn(sec.table, "class");
  addColumn(sec.table, "tasks", Kind::Numeric);
  addColumn(sec.table, "share", Kind::Numeric);
  if (s.previous) {
    addColumn(sec.table, "previous", Kind::Numeric);
    addColumn(sec.table, "change", Kind::Numeric);
    sec.note = "previous: " + showTime(s.previous->window.since, s.utc) + " to " +
               showTime(s.previous->window.until, s.utc) + ", classified as of now";
    if (s.partial) sec.note += "; " + partialLine(s);
  }
  const auto row = [&](const std::string& name, std::int64_t n, std::int64_t before) {
    std::vector<std::string> r = {name, std::to_string(n), share(n, s.totals.total)};
    if (s.previous) r.insert(r.end(), {std::to_string(before), showChange(n, before)});
    sec.table.rows.push_back(std::move(r));
  };
  for (TaskClass c : kAllClasses) row(std::string(label(c)), s.totals.of(c), s.previous ? s.previous->totals.of(c) : 0);
  row("total", s.totals.total, s.previous ? s.previous->totals.total : 0);
  return sec;
}

std::string joined(const std::vector<std::string>& names, std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) {
    out += (i ? ", " : "") + (names[i].empty() ? std::string("(none)") : names[i]);
  }
  if (names.size() > most) out += " and " + std::to_string(names.size() - most) + " more";
  return out;
}

Section reasonsSection(const Summary& s) {
  Section sec{"failure-reasons", "Failure reasons (" + plural(static_cast<std::int64_t>(s.failure_reasons.size()), "reason") + ")",
              {}, "no task failed or was rejected", ""};
  sec.note = "ids and numbers in messages are shown as <id> and <n>, the task's own region as <region>";
  Table& t = sec.table;
  // Here the message is what the row is about: it comes before where and who.
  addColumn(t, "tasks", Kind::Numeric);
  addColumn(t, "class");
  addColumn(t, "error");
  addColumn(t, "message", Kind::Prose);
  addColumn(t, "regions");
  addColumn(t, "operations");
  if (!s.by_actor.empty()) addColumn(t, "actors");
  addColumn(t, "examples", Kind::Id);
  constexpr std::size_t kNamesShown = 3;  // the JSON lists them all
  for (const ReasonGroup& g : s.failure_reasons) {
    std::vector<std::string> row = {std::to_string(g.count), std::string(label(g.task_class)), g.error_code,
                                    g.message.empty() ? "(no message)" : g.message,
                                    joined(g.regions, kNamesShown), joined(g.operations, kNamesShown)};
    if (!s.by_actor.empty()) row.push_back(joined(actorNames(g.actors), kNamesShown));
    std::string examples;  // space-separated: HTML shows each id short
    for (const auto& id : g.example_request_ids) examples += (examples.empty() ? "" : " ") + id;
    row.push_back(examples.empty() ? g.example_request_id : examples);
    t.rows.push_back(std::move(row));
  }
  dropEmptyColumns(t);
  return sec;
}

Section stuckGroupsSection(const Summary& s) {
  Section sec{"stuck-groups", "Stuck by region and age (" + plural(s.totals.of(TaskClass::Stuck), "task") + ")", {},
              "no task is stuck", ""};
  sec.note = "unresolved for more than " + formatDuration(s.stuck_after) + "; parked: why no run could check the region";
  Table& t = sec.table;
  addColumn(t, "tasks", Kind::Numeric);
  addColumn(t, "region");
  addColumn(t, "profile");
  addColumn(t, "age");
  addColumn(t, "oldest", Kind::Numeric);
  addColumn(t, "never checked", Kind::Numeric);
  addColumn(t, "parked", Kind::Prose);
  for (const StuckGroup& g : s.stuck_groups) {
    t.rows.push_back({std::to_string(g.count), g.region, g.profile, g.age_band, showDuration(g.oldest),
                      g.never_checked ? std::to_string(g.never_checked) : "", g.parked ? showParking(*g.parked) : ""});
  }
  dropEmptyColumns(t);
  return sec;
}

Section overTimeSection(const Summary& s) {
  const bool hourly = s.bucket == std::chrono::hours(1);
  Section sec{"over-time", hourly ? "Hour by hour" : "Every " + formatDuration(s.bucket), {},
              "the window had not begun when the report was made", ""};
  sec.note = "resolved: succeeded or failed in that slice; failed: of those; quiet slices in a row share a line";
  Table& t = sec.table;
  addColumn(t, "from");
  addColumn(t, "submitted", Kind::Numeric);
  addColumn(t, "resolved", Kind::Numeric);
  addColumn(t, "failed", Kind::Numeric);
  const auto empty = [](const TimeBucket& b) { return b.submitted == 0 && b.resolved == 0 && b.failed == 0; };
  for (std::size_t i = 0; i < s.over_time.size();) {
    const TimeBucket& b = s.over_time[i];
    std::size_t end = i + 1;
    if (empty(b)) {
      while (end < s.over_time.size() && empty(s.over_time[end])) ++end;
    }
    std::string from = showSliceStart(b.from, s);
    if (end - i > 1) from += " to " + showSliceStart(s.over_time[end - 1].from, s);
    t.rows.push_back({from, std::to_string(b.submitted), std::to_string(b.resolved), std::to_string(b.failed)});
    i = end;
  }
  return sec;
}

Section parkedSection(const Summary& s) {
  Section sec{"parked-regions", "Parked regions (" + std::to_string(s.parked_regions.size()) + ")", {},
              "no run parked a region in the window", ""};
  sec.note = "a run could not check these regions at all; their tasks stay due";
  Table& t = sec.table;
  addColumn(t, "region");
  addColumn(t, "profile");
  addColumn(t, "error");
  addColumn(t, "since");
  addColumn(t, "last");
  addColumn(t, "runs", Kind::Numeric);
  addColumn(t, "unresolved", Kind::Numeric);
  addColumn(t, "message", Kind::Prose);
  for (const ParkedRegion& p : s.parked_regions) {
    t.rows.push_back({p.region, p.profile, p.code, showWhen(p.since, s), showWhen(p.last, s),
                      std::to_string(p.runs), std::to_string(p.unresolved), p.message});
  }
  return sec;
}

Section neverCheckedSection(const Summary& s) {
  Section sec{"never-checked", "Never checked (" + plural(s.never_checked_total, "task") + ")", {},
              "every unresolved task of the window was asked about at least once", ""};
  sec.note = "unresolved tasks that no run has asked about yet: their class says nothing about the change";
  Table& t = sec.table;
  addColumn(t, "region");
  addColumn(t, "profile");
  addColumn(t, "tasks", Kind::Numeric);
  addColumn(t, "oldest submitted");
  addColumn(t, "parked", Kind::Prose);
  for (const NeverChecked& n : s.never_checked) {
    t.rows.push_back({n.region, n.profile, std::to_string(n.count), showWhen(n.oldest, s),
                      n.parked ? showParking(*n.parked) : ""});
  }
  dropEmptyColumns(t);
  return sec;
}

Section countsSection(const std::string& id, const std::string& key,
                      const std::map<std::string, ClassCounts, std::less<>>& counts) {
  Section sec{id, "By " + key, {}, "no task in the window", ""};
  addColumn(sec.table, key);
  addColumn(sec.table, "total", Kind::Numeric);
  for (TaskClass c : kAllClasses) addColumn(sec.table, std::string(label(c)), Kind::Numeric);
  for (const auto& [name, n] : counts) {
    std::vector<std::string> row = {name.empty() ? "(none)" : name, std::to_string(n.total)};
    for (TaskClass c : kAllClasses) row.push_back(std::to_string(n.of(c)));
    sec.table.rows.push_back(std::move(row));
  }
  // A class no task is in shows in the totals; here it would only widen the table.
  dropEmptyColumns(sec.table, true);
  return sec;
}

Section resolutionSection(const Summary& s) {
  Section sec{"resolution", "Resolution time, submitted to resolved", {}, "no task of the window is resolved", ""};
  for (const char* h : {"tasks", "p50", "p90", "p99", "max"}) addColumn(sec.table, h, Kind::Numeric);
  if (const auto& r = s.resolution) {
    sec.table.rows.push_back({std::to_string(r->count), showDuration(r->p50), showDuration(r->p90),
                              showDuration(r->p99), showDuration(r->max)});
  }
  return sec;
}

// What a reviewer decides on comes first, on one line each: the id (short in HTML), the state or
// error, the age, the attempts and who made the call; where and when follow, and the message,
// the only long text, comes last so that it never pushes the others off the screen.
Section listSection(const Summary& s, TaskClass c, std::string title, const std::vector<ListedTask>& tasks) {
  const bool stuck = c == TaskClass::Stuck;
  if (stuck) title += ": unresolved for more than " + formatDuration(s.stuck_after);
  Section sec{std::string(toString(c)), title + " (" + std::to_string(tasks.size()) + ")", {}, "none", ""};
  Table& t = sec.table;
  addColumn(t, "request id", Kind::Id);
  if (stuck) addColumn(t, "state");
  addColumn(t, "error");  // of a stuck task: the last answer that was not a status
  if (stuck) addColumn(t, "age", Kind::Numeric);
  addColumn(t, "attempts", Kind::Numeric);
  for (const char* h : {"actor", "region", "operation", "resource", "submitted"}) addColumn(t, h);
  if (!stuck) addColumn(t, "resolved");
  addColumn(t, "message", Kind::Prose);
  for (const ListedTask& task : tasks) {
    std::vector<std::string> row = {task.request_id};
    if (stuck) row.emplace_back(toString(task.state));
    row.push_back(task.last_error_code);
    if (stuck) row.push_back(showDuration(task.age));
    row.insert(row.end(), {std::to_string(task.attempts), task.actor, task.region, task.operation, task.resource,
                           showWhen(task.submitted_at, s)});
    if (!stuck) row.push_back(task.resolved_at ? showWhen(*task.resolved_at, s) : "");
    row.push_back(task.message);
    t.rows.push_back(std::move(row));
  }
  dropEmptyColumns(t);
  return sec;
}

Section actorSection(const Summary& s) {
  Section sec = countsSection("by-actor", "actor", s.by_actor);
  sec.empty_note = "no task of the window has an actor: only tasks found by discover do";
  if (s.without_actor > 0 && !s.by_actor.empty()) {
    sec.note = plural(s.without_actor, "task") + " without an actor (imported or added by hand) not shown";
  }
  return sec;
}

// "24h", "23h" and "25h" for days, so that a daylight-saving day stands out; otherwise "1h30m".
std::string windowLength(Millis d) {
  if (d.count() % 3'600'000 == 0) return std::to_string(d.count() / 3'600'000) + "h";
  return formatDuration(d);
}

std::string lastRunText(const Summary& s) {
  if (!s.last_run) return "none";
  const LastRun& r = *s.last_run;
  std::string out = "started " + showTime(r.started_at, s.utc);
  if (!r.finished_at) return out + ", not finished";
  out += ", finished " + showTime(*r.finished_at, s.utc);
  if (!r.exit_reason.empty()) out += " (" + r.exit_reason + ")";
  return out;
}

std::string filtersText(const Filters& f) {
  std::string out;
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"region", f.region},
                                    {"profile", f.profile},
                                    {"operation", f.operation}}) {
    if (value.empty()) continue;
    out += (out.empty() ? "" : ", ") + std::string(name) + " " + value;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::string showTime(TimePoint t, bool utc) { return formatHuman(t, utc); }

std::string showWhen(TimePoint t, const Summary& s) {
  const std::string full = showTime(t, s.utc);
  const bool one_day = s.window.until - s.window.since <= std::chrono::hours(25);
  if (one_day && full.compare(0, 10, showTime(s.window.since, s.utc), 0, 10) == 0) return full.substr(11);
  return full;
}

std::string showSliceStart(TimePoint t, const Summary& s) {
  const std::string full = showTime(t, s.utc);  // "2026-03-10 13:00:00" or "...Z"
  const std::string zone = s.utc ? "Z" : "";
  if (s.window.until - s.window.since <= std::chrono::hours(25)) return full.substr(11, 5) + zone;
  return full.substr(0, 16) + zone;
}

std::string showChange(std::int64_t now, std::int64_t before) {
  const std::int64_t d = now - before;
  if (d == 0) return "0";
  std::string out = (d > 0 ? "+" : "") + std::to_string(d);
  if (before == 0) return out + " (new)";
  char buf[32];
  std::snprintf(buf, sizeof buf, " (%+.0f%%)", 100.0 * static_cast<double>(d) / static_cast<double>(before));
  return out + buf;
}

std::string showDuration(Millis d) {
  return formatDuration(std::chrono::duration_cast<Millis>(std::chrono::round<std::chrono::seconds>(d)));
}

std::string decimalSeconds(Millis d) {
  const std::int64_t ms = d.count();
  std::string out = (ms < 0 ? "-" : "") + std::to_string(std::llabs(ms) / 1000);
  std::int64_t frac = std::llabs(ms) % 1000;
  if (frac == 0) return out;
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(frac));
  std::string f = buf;
  while (f.back() == '0') f.pop_back();
  return out + f;
}

std::vector<std::pair<std::string, std::string>> headerFields(const Summary& s) {
  return {
      {"Ledger", s.ledger},
      {"Window", showTime(s.window.since, s.utc) + " to " + showTime(s.window.until, s.utc) + " (" +
                     windowLength(s.window.until - s.window.since) + ")"},
      {"Time zone", s.time_zone},
      {"Generated", showTime(s.generated_at, s.utc)},
      {"Filters", filtersText(s.filters)},
      {"Stuck", "pending or in progress for more than " + formatDuration(s.stuck_after)},
      {"Last run", lastRunText(s)},
  };
}

std::string showHeadlineCount(const HeadlineItem& item) {
  std::string out = std::to_string(item.count);
  if (item.previous) out += " (" + showChange(item.count, *item.previous) + ")";
  return out;
}

std::string quietLine(const Summary& s) {
  return "A quiet " + std::string(s.partial ? "day so far" : "window") + ": nothing failed, stuck, rejected or unchecked (" +
         plural(s.totals.total, "task") + ").";
}

std::string partialLine(const Summary& s) {
  if (!s.partial) return "";
  std::string out = "partial: up to " + showTime(s.generated_at, s.utc);
  if (s.previous) out += ", compared with the same span of the previous window";
  return out;
}

std::string headlineNote(const Summary& s) {
  std::string out = s.partial ? "partial: up to " + showTime(s.generated_at, s.utc) : "";
  if (s.before && !quiet(s)) {
    out += (out.empty() ? "" : "; ") + std::string("changes against ") + showTime(s.before->window.since, s.utc) +
           " to " + showTime(s.before->window.until, s.utc);
  }
  return out;
}

std::vector<std::string> actorNames(std::vector<std::string> actors) {
  for (auto& a : actors) {
    if (a.empty()) a = "(unknown)";
  }
  return actors;
}

std::string showParking(const ParkingReason& p) { return p.message.empty() ? p.code : p.code + ": " + p.message; }

std::vector<Section> sections(const Summary& s) {
  return {reasonsSection(s),
          stuckGroupsSection(s),
          parkedSection(s),
          neverCheckedSection(s),
          totalsSection(s),
          overTimeSection(s),
          countsSection("by-region", "region", s.by_region),
          countsSection("by-operation", "operation", s.by_operation),
          actorSection(s),
          resolutionSection(s),
          listSection(s, TaskClass::Failed, "Failed", s.failed),
          listSection(s, TaskClass::Stuck, "Stuck", s.stuck),
          listSection(s, TaskClass::Rejected, "Rejected", s.rejected)};
}

}  // namespace taskledger::report
