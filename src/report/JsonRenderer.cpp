#include "JsonRenderer.h"

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

std::string time(TimePoint t) { return jsonString(formatIsoUtc(t)); }

// An absent value is null, never "": a script tests for it without knowing which strings are blank.
std::string orNull(std::string_view v) { return v.empty() ? "null" : jsonString(v); }

std::string counts(const ClassCounts& c) {
  std::string out = "{\"total\": " + std::to_string(c.total);
  for (TaskClass k : kAllClasses) out += ", \"" + std::string(toString(k)) + "\": " + std::to_string(c.of(k));
  return out + "}";
}

std::string countsMap(const std::map<std::string, ClassCounts, std::less<>>& m) {
  if (m.empty()) return "{}";
  std::string out = "{";
  const char* sep = "\n";
  for (const auto& [key, c] : m) {
    out += sep + std::string("    ") + jsonString(key) + ": " + counts(c);
    sep = ",\n";
  }
  return out + "\n  }";
}

std::string resolution(const std::optional<Resolution>& r) {
  if (!r) return "{\"p50\": null, \"p90\": null, \"p99\": null, \"max\": null}";
  return "{\"p50\": " + decimalSeconds(r->p50) + ", \"p90\": " + decimalSeconds(r->p90) +
         ", \"p99\": " + decimalSeconds(r->p99) + ", \"max\": " + decimalSeconds(r->max) + "}";
}

std::string entry(const ListedTask& t) {
  std::string out = "{\"request_id\": " + jsonString(t.request_id) + ", \"state\": " + jsonString(toString(t.state)) +
                    ", \"region\": " + jsonString(t.region) + ", \"profile\": " + jsonString(t.profile) +
                    ", \"operation\": " + orNull(t.operation) + ", \"resource\": " + orNull(t.resource) +
                    ", \"submitted_at\": " + time(t.submitted_at) +
                    ", \"resolved_at\": " + (t.resolved_at ? time(*t.resolved_at) : "null") +
                    ", \"attempts\": " + std::to_string(t.attempts) + ", \"message\": " + orNull(t.message) +
                    ", \"last_error_code\": " + orNull(t.last_error_code) + ", \"actor\": " + orNull(t.actor) +
                    ", \"source_ip\": " + orNull(t.source_ip);
  if (t.task_class == TaskClass::Stuck) out += ", \"age_seconds\": " + decimalSeconds(t.age);
  return out + "}";
}

// One item per line, indented under its key.
template <typename T, typename Entry>
std::string list(const std::vector<T>& items, Entry entry) {
  if (items.empty()) return "[]";
  std::string out = "[";
  const char* sep = "\n";
  for (const T& item : items) {
    out += sep + std::string("    ") + entry(item);
    sep = ",\n";
  }
  return out + "\n  ]";
}

std::string strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + jsonString(v[i]);
  return out + "]";
}

std::string reason(const ReasonGroup& g) {
  return "{\"class\": " + jsonString(toString(g.task_class)) + ", \"message\": " + orNull(g.message) +
         ", \"error_code\": " + orNull(g.error_code) + ", \"count\": " + std::to_string(g.count) +
         ", \"regions\": " + strings(g.regions) + ", \"operations\": " + strings(g.operations) +
         ", \"actors\": " + strings(g.actors) + ", \"example_request_id\": " + jsonString(g.example_request_id) +
         ", \"example_request_ids\": " + strings(g.example_request_ids) + "}";
}

std::string parking(const std::optional<ParkingReason>& p) {
  if (!p) return "null";
  return "{\"code\": " + jsonString(p->code) + ", \"message\": " + orNull(p->message) + "}";
}

std::string stuckGroup(const StuckGroup& g) {
  return "{\"region\": " + jsonString(g.region) + ", \"profile\": " + jsonString(g.profile) +
         ", \"age_band\": " + jsonString(g.age_band) + ", \"count\": " + std::to_string(g.count) +
         ", \"never_checked\": " + std::to_string(g.never_checked) +
         ", \"oldest_age_seconds\": " + decimalSeconds(g.oldest) + ", \"parked\": " + parking(g.parked) + "}";
}

std::string headlineItem(const HeadlineItem& i) {
  const std::string before = i.previous ? std::to_string(*i.previous) : "null";
  const std::string change = i.previous ? std::to_string(i.count - *i.previous) : "null";
  return "{\"key\": " + jsonString(i.key) + ", \"count\": " + std::to_string(i.count) + ", \"previous\": " + before +
         ", \"change\": " + change + "}";
}

std::string settings(const Summary& s) {
  return "{\"stuck_after_seconds\": " + decimalSeconds(s.stuck_after) + ", \"filters\": {\"region\": " +
         orNull(s.filters.region) + ", \"profile\": " + orNull(s.filters.profile) +
         ", \"operation\": " + orNull(s.filters.operation) + "}, \"utc\": " + (s.utc ? "true" : "false") +
         ", \"compare_previous\": " + (s.previous ? "true" : "false") + "}";
}

std::string slice(const TimeBucket& b) {
  return "{\"from\": " + time(b.from) + ", \"submitted\": " + std::to_string(b.submitted) +
         ", \"resolved\": " + std::to_string(b.resolved) + ", \"failed\": " + std::to_string(b.failed) + "}";
}

std::string parked(const ParkedRegion& p) {
  return "{\"region\": " + jsonString(p.region) + ", \"profile\": " + jsonString(p.profile) +
         ", \"code\": " + jsonString(p.code) + ", \"message\": " + jsonString(p.message) +
         ", \"since\": " + time(p.since) + ", \"last\": " + time(p.last) + ", \"runs\": " +
         std::to_string(p.runs) + ", \"unresolved\": " + std::to_string(p.unresolved) + "}";
}

std::string neverChecked(const NeverChecked& n) {
  return "{\"region\": " + jsonString(n.region) + ", \"profile\": " + jsonString(n.profile) +
         ", \"count\": " + std::to_string(n.count) + ", \"oldest_submitted_at\": " + time(n.oldest) +
         ", \"parked\": " + parking(n.parked) + "}";
}

std::string previous(const std::optional<Previous>& p, const ClassCounts& now) {
  if (!p) return "null";
  std::string change = "{\"total\": " + std::to_string(now.total - p->totals.total);
  for (TaskClass k : kAllClasses) {
    change += ", \"" + std::string(toString(k)) + "\": " + std::to_string(now.of(k) - p->totals.of(k));
  }
  return "{\"window\": {\"since\": " + time(p->window.since) + ", \"until\": " + time(p->window.until) +
         "},\n    \"totals\": " + counts(p->totals) + ",\n    \"change\": " + change +
         "},\n    \"never_checked\": " + std::to_string(p->headline.never_checked) +
         ",\n    \"parked_regions\": " + std::to_string(p->headline.parked_regions) +
         ",\n    \"over_time\": " + list(p->over_time, slice) + "}";
}

}  // namespace

std::string renderJson(const Summary& s) {
  std::string out;
  out.reserve(512 + 400 * (s.failed.size() + s.stuck.size() + s.rejected.size()));
  out += "{\n  \"window\": {\"since\": " + time(s.window.since) + ", \"until\": " + time(s.window.until) + "},\n";
  out += "  \"generated_at\": " + time(s.generated_at) + ",\n";
  out += "  \"partial\": " + std::string(s.partial ? "true" : "false") + ",\n";
  out += "  \"settings\": " + settings(s) + ",\n";
  out += "  \"headline\": {\"quiet\": " + std::string(quiet(s) ? "true" : "false") + ", \"compared_with\": " +
         (s.before ? "{\"since\": " + time(s.before->window.since) + ", \"until\": " + time(s.before->window.until) + "}"
                   : std::string("null")) +
         ", \"items\": " + list(headline(s), headlineItem) + "},\n";
  // The sentences the other formats put above everything: a script must see them too.
  out += "  \"warnings\": " + list(warnings(s), [](const std::string& w) { return jsonString(w); }) + ",\n";
  out += "  \"totals\": " + counts(s.totals) + ",\n";
  out += "  \"by_region\": " + countsMap(s.by_region) + ",\n";
  out += "  \"by_operation\": " + countsMap(s.by_operation) + ",\n";
  out += "  \"resolution_seconds\": " + resolution(s.resolution) + ",\n";
  out += "  \"failed\": " + list(s.failed, entry) + ",\n";
  out += "  \"stuck\": " + list(s.stuck, entry) + ",\n";
  out += "  \"rejected\": " + list(s.rejected, entry) + ",\n";
  out += "  \"failure_reasons\": " + list(s.failure_reasons, reason) + ",\n";
  out += "  \"stuck_groups\": " + list(s.stuck_groups, stuckGroup) + ",\n";
  out += "  \"over_time\": {\"bucket_seconds\": " + decimalSeconds(s.bucket) +
         ", \"buckets\": " + list(s.over_time, slice) + "},\n";
  out += "  \"by_actor\": " + countsMap(s.by_actor) + ",\n";
  out += "  \"without_actor\": " + std::to_string(s.without_actor) + ",\n";
  out += "  \"parked_regions\": " + list(s.parked_regions, parked) + ",\n";
  out += "  \"never_checked\": {\"total\": " + std::to_string(s.never_checked_total) +
         ", \"by_region\": " + list(s.never_checked, neverChecked) + "},\n";
  out += "  \"previous\": " + previous(s.previous, s.totals) + "\n}\n";
  return out;
}

}  // namespace taskledger::report
