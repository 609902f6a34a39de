#include "Sections.h"

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

Section totalsSection(const Summary& s) {
  Section sec{"totals", "Totals (" + plural(s.totals.total, "task") + ")", {}, ""};
  sec.table.header = {"class", "tasks", "share"};
  sec.table.numeric = {false, true, true};
  for (TaskClass c : kAllClasses) {
    sec.table.rows.push_back({std::string(label(c)), std::to_string(s.totals.of(c)),
                              share(s.totals.of(c), s.totals.total)});
  }
  sec.table.rows.push_back({"total", std::to_string(s.totals.total), share(s.totals.total, s.totals.total)});
  return sec;
}

Section countsSection(const std::string& id, const std::string& key,
                      const std::map<std::string, ClassCounts, std::less<>>& counts) {
  Section sec{id, "By " + key, {}, "no task in the window"};
  sec.table.header = {key, "total"};
  sec.table.numeric = {false, true};
  for (TaskClass c : kAllClasses) {
    sec.table.header.emplace_back(label(c));
    sec.table.numeric.push_back(true);
  }
  for (const auto& [name, n] : counts) {
    std::vector<std::string> row = {name.empty() ? "(none)" : name, std::to_string(n.total)};
    for (TaskClass c : kAllClasses) row.push_back(std::to_string(n.of(c)));
    sec.table.rows.push_back(std::move(row));
  }
  return sec;
}

Section resolutionSection(const Summary& s) {
  Section sec{"resolution", "Resolution time, submitted to resolved", {}, "no task of the window is resolved"};
  sec.table.header = {"tasks", "p50", "p90", "p99", "max"};
  sec.table.numeric = {true, true, true, true, true};
  if (const auto& r = s.resolution) {
    sec.table.rows.push_back({std::to_string(r->count), showDuration(r->p50), showDuration(r->p90),
                              showDuration(r->p99), showDuration(r->max)});
  }
  return sec;
}

Section listSection(const Summary& s, TaskClass c, std::string title, const std::vector<ListedTask>& tasks) {
  const bool stuck = c == TaskClass::Stuck;
  if (stuck) title += ": unresolved for more than " + formatDuration(s.stuck_after);
  Section sec{std::string(toString(c)), title + " (" + std::to_string(tasks.size()) + ")", {}, "none"};
  Table& t = sec.table;
  t.header = {"request id", "region", "operation", "resource", "submitted"};
  if (stuck) {
    t.header.insert(t.header.end(), {"state", "age"});
  } else {
    t.header.emplace_back("resolved");
  }
  t.header.insert(t.header.end(), {"attempts", "error", "message"});
  for (const auto& h : t.header) t.numeric.push_back(h == "attempts" || h == "age");
  for (const ListedTask& task : tasks) {
    std::vector<std::string> row = {task.request_id, task.region, task.operation, task.resource,
                                    showTime(task.submitted_at, s.utc)};
    if (stuck) {
      row.emplace_back(toString(task.state));
      row.push_back(showDuration(task.age));
    } else {
      row.push_back(task.resolved_at ? showTime(*task.resolved_at, s.utc) : "");
    }
    row.insert(row.end(), {std::to_string(task.attempts), task.last_error_code, task.message});
    t.rows.push_back(std::move(row));
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

std::vector<Section> sections(const Summary& s) {
  return {totalsSection(s),
          countsSection("by-region", "region", s.by_region),
          countsSection("by-operation", "operation", s.by_operation),
          resolutionSection(s),
          listSection(s, TaskClass::Failed, "Failed", s.failed),
          listSection(s, TaskClass::Stuck, "Stuck", s.stuck),
          listSection(s, TaskClass::Rejected, "Rejected", s.rejected)};
}

}  // namespace taskledger::report
