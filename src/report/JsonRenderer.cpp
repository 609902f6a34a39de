#include "JsonRenderer.h"

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

std::string time(TimePoint t) { return jsonString(formatIsoUtc(t)); }

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
  std::string out = "{\"request_id\": " + jsonString(t.request_id) + ", \"region\": " + jsonString(t.region) +
                    ", \"profile\": " + jsonString(t.profile) + ", \"operation\": " + jsonString(t.operation) +
                    ", \"resource\": " + jsonString(t.resource) + ", \"submitted_at\": " + time(t.submitted_at) +
                    ", \"resolved_at\": " + (t.resolved_at ? time(*t.resolved_at) : "null") +
                    ", \"attempts\": " + std::to_string(t.attempts) + ", \"message\": " + jsonString(t.message) +
                    ", \"last_error_code\": " + jsonString(t.last_error_code);
  if (t.task_class == TaskClass::Stuck) out += ", \"age_seconds\": " + decimalSeconds(t.age);
  return out + "}";
}

std::string list(const std::vector<ListedTask>& tasks) {
  if (tasks.empty()) return "[]";
  std::string out = "[";
  const char* sep = "\n";
  for (const ListedTask& t : tasks) {
    out += sep + std::string("    ") + entry(t);
    sep = ",\n";
  }
  return out + "\n  ]";
}

}  // namespace

std::string renderJson(const Summary& s) {
  std::string out;
  out.reserve(512 + 400 * (s.failed.size() + s.stuck.size() + s.rejected.size()));
  out += "{\n  \"window\": {\"since\": " + time(s.window.since) + ", \"until\": " + time(s.window.until) + "},\n";
  out += "  \"generated_at\": " + time(s.generated_at) + ",\n";
  out += "  \"totals\": " + counts(s.totals) + ",\n";
  out += "  \"by_region\": " + countsMap(s.by_region) + ",\n";
  out += "  \"by_operation\": " + countsMap(s.by_operation) + ",\n";
  out += "  \"resolution_seconds\": " + resolution(s.resolution) + ",\n";
  out += "  \"failed\": " + list(s.failed) + ",\n";
  out += "  \"stuck\": " + list(s.stuck) + ",\n";
  out += "  \"rejected\": " + list(s.rejected) + "\n}\n";
  return out;
}

}  // namespace taskledger::report
