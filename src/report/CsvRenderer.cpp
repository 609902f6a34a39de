#include "CsvRenderer.h"

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
                     text(showTime(t.submitted_at, s.utc)),
                     text(t.resolved_at ? showTime(*t.resolved_at, s.utc) : ""),
                     text(t.task_class == TaskClass::Stuck ? decimalSeconds(t.age) : ""), number(t.attempts),
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
  std::string out = "class,count,error_code,message,regions,operations,example_request_id\n";
  for (const ReasonGroup& g : s.failure_reasons) {
    writeRow(out, {text(toString(g.task_class)), number(g.count), text(g.error_code), text(g.message),
                   text(names(g.regions)), text(names(g.operations)), text(g.example_request_id)});
  }
  return out;
}

std::string hours(const Summary& s) {
  std::string out = "from,until,submitted,resolved,failed\n";
  for (const TimeBucket& b : s.over_time) {
    writeRow(out, {text(showTime(b.from, s.utc)), text(showTime(b.from + s.bucket, s.utc)), number(b.submitted),
                   number(b.resolved), number(b.failed)});
  }
  return out;
}

// Tasks without an actor are left out, as in the other formats: an empty name would read as a
// person.
std::string byActor(const Summary& s) {
  std::string out = "actor,total";
  for (TaskClass c : kAllClasses) out += "," + std::string(toString(c));
  out += '\n';
  for (const auto& [actor, counts] : s.by_actor) {
    Row row = {text(actor), number(counts.total)};
    for (TaskClass c : kAllClasses) row.push_back(number(counts.of(c)));
    writeRow(out, row);
  }
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

}  // namespace

std::string renderCsv(const Summary& s, CsvTable table) {
  switch (table) {
    case CsvTable::Tasks: return tasks(s);
    case CsvTable::FailureReasons: return failureReasons(s);
    case CsvTable::Hours: return hours(s);
    case CsvTable::ByActor: return byActor(s);
    case CsvTable::Totals: return totals(s);
  }
  return tasks(s);
}

}  // namespace taskledger::report
