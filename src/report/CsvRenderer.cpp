#include "CsvRenderer.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

// Cells are written already escaped: text from the ledger through csvCell (quoting and the
// formula guard), counts computed here as plain integers, so that a spreadsheet reads "-3" in
// a change column as a number, not as the text "'-3".
using Row = std::vector<std::string>;

std::string text(std::string_view s) { return csvCell(s); }
std::string number(std::int64_t n) { return std::to_string(n); }

// ISO-8601 with the zone's offset ("2026-03-10T20:00:00+08:00", or a Z with --utc): a spreadsheet
// that merges files from two zones, or reads one a day later, still knows the instant.
std::string zoned(TimePoint t, bool utc) {
  if (utc) return formatIsoUtc(t).substr(0, 19) + "Z";
  std::time_t tt = static_cast<std::time_t>(toUnixSeconds(t));
  std::tm tm{};
  localtime_r(&tt, &tm);
  const int off = static_cast<int>(tm.tm_gmtoff / 60);  // zones are within +-14h
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', std::abs(off) / 60,
                std::abs(off) % 60);
  return buf;
}

std::string wholeSeconds(Millis d) {
  return std::to_string(std::chrono::round<std::chrono::seconds>(d).count());
}

void writeRow(std::string& out, const Row& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += cells[i];
  }
  out += '\n';
}

std::string tasks(const Summary& s) {
  std::string out =
      "class,request_id,region,profile,operation,resource,state,submitted_at,resolved_at,age_seconds,"
      "attempts,last_error_code,message,actor,source_ip\n";
  for (const auto* list : {&s.failed, &s.stuck, &s.rejected}) {
    for (const ListedTask& t : *list) {
      writeRow(out, {text(toString(t.task_class)), text(t.request_id), text(t.region), text(t.profile),
                     text(t.operation), text(t.resource), text(toString(t.state)),
                     text(zoned(t.submitted_at, s.utc)),
                     text(t.resolved_at ? zoned(*t.resolved_at, s.utc) : ""),
                     text(t.task_class == TaskClass::Stuck ? wholeSeconds(t.age) : ""), number(t.attempts),
                     text(t.last_error_code), text(t.message), text(t.actor), text(t.source_ip)});
    }
  }
  return out;
}

// Every name, unlike the human formats that show a few: a spreadsheet can filter on them.
std::string names(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ";" : "") + v[i];
  return out;
}

std::string failureReasons(const Summary& s) {
  std::string out = "class,count,error_code,message,regions,operations,example_request_id,actors,example_request_ids\n";
  for (const ReasonGroup& g : s.failure_reasons) {
    writeRow(out, {text(toString(g.task_class)), number(g.count), text(g.error_code), text(g.message),
                   text(names(g.regions)), text(names(g.operations)), text(g.example_request_id),
                   text(names(actorNames(g.actors))), text(names(g.example_request_ids))});
  }
  return out;
}

std::string hours(const Summary& s) {
  std::string out = "from,until,submitted,resolved,failed\n";
  for (const TimeBucket& b : s.over_time) {
    writeRow(out, {text(zoned(b.from, s.utc)), text(zoned(b.from + s.bucket, s.utc)), number(b.submitted),
                   number(b.resolved), number(b.failed)});
  }
  return out;
}

// Tasks without an actor are the row "(unknown)", last: a spreadsheet's sum over the column is
// then the total, and an empty name cannot read as a person.
std::string byActor(const Summary& s) {
  std::string out = "actor,total";
  for (TaskClass c : kAllClasses) out += "," + std::string(toString(c));
  out += '\n';
  const auto row = [&](std::string_view actor, const ClassCounts& counts) {
    Row r = {text(actor), number(counts.total)};
    for (TaskClass c : kAllClasses) r.push_back(number(counts.of(c)));
    writeRow(out, r);
  };
  for (const auto& [actor, counts] : s.by_actor) row(actor, counts);
  if (s.without_actor_counts.total > 0) row("(unknown)", s.without_actor_counts);
  return out;
}

std::string totals(const Summary& s) {
  std::string out = s.previous ? "class,tasks,previous,change\n" : "class,tasks\n";
  const auto row = [&](std::string_view name, std::int64_t n, std::int64_t before) {
    Row r = {text(name), number(n)};
    if (s.previous) r.insert(r.end(), {number(before), number(n - before)});
    writeRow(out, r);
  };
  for (TaskClass c : kAllClasses) row(toString(c), s.totals.of(c), s.previous ? s.previous->totals.of(c) : 0);
  row("total", s.totals.total, s.previous ? s.previous->totals.total : 0);
  return out;
}

// The headline's five counts, each with the same span of the window before and the change; that
// span's bounds on every row, so that a row pasted elsewhere still says what it compares with.
std::string headlineTable(const Summary& s) {
  std::string out = "item,count,previous,change,previous_since,previous_until\n";
  for (const HeadlineItem& item : headline(s)) {
    writeRow(out, {text(item.key), number(item.count), item.previous ? number(*item.previous) : "",
                   item.previous ? number(item.count - *item.previous) : "",
                   s.before ? text(zoned(s.before->window.since, s.utc)) : "",
                   s.before ? text(zoned(s.before->window.until, s.utc)) : ""});
  }
  return out;
}

}  // namespace

std::string renderCsv(const Summary& s, CsvTable table) {
  switch (table) {
    case CsvTable::Tasks: return tasks(s);
    case CsvTable::FailureReasons: return failureReasons(s);
    case CsvTable::Hours: return hours(s);
    case CsvTable::ByActor: return byActor(s);
    case CsvTable::Totals: return totals(s);
    case CsvTable::Headline: return headlineTable(s);
  }
  return tasks(s);
}

}  // namespace taskledger::report
