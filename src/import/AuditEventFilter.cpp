#include "taskledger/import/AuditEventFilter.h"

#include "taskledger/domain/Time.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::import {
namespace {

constexpr const char* kProduct = "clb";
constexpr const char* kApiVersion = "3.0";
constexpr const char* kWrite = "Write";

// The service writes success as the integer 0 (apiErrorCode) beside the string "0" (errorCode):
// 0, "0" and an absent or empty value all mean success; anything else is a failed call.
bool isSuccessCode(const std::string& code) { return code.empty() || code == "0"; }

bool succeeded(const AuditEvent& e) { return isSuccessCode(e.error_code) && isSuccessCode(e.api_error_code); }

// ResourceType names the product; events without one fall back to the API host they went to.
bool isClb(const AuditEvent& e) {
  if (!e.resource_type.empty()) return e.resource_type == kProduct;
  return e.event_source.rfind(std::string(kProduct) + ".", 0) == 0;
}

// The first field of `t` longer than import allows, as "resource (1048576 bytes; at most 1024)".
std::string overLongField(const NewTask& t) {
  const struct {
    const char* name;
    const std::string& value;
    std::size_t max;
  } fields[] = {{"operation", t.operation, kMaxOperationBytes},
                {"resource", t.resource, kMaxResourceBytes},
                {"user", t.actor, kMaxActorBytes},
                {"source IP", t.source_ip, kMaxSourceIpBytes}};
  for (const auto& f : fields) {
    if (f.value.size() > f.max) {
      return std::string(f.name) + " (" + std::to_string(f.value.size()) + " bytes; at most " + std::to_string(f.max) + ")";
    }
  }
  return "";
}

std::string eventTimeText(std::int64_t seconds) {
  // A year past 9999 has no ISO form worth printing; the number says what came.
  if (seconds < 0 || seconds > 253'402'300'799LL) return std::to_string(seconds);
  return std::to_string(seconds) + " (" + formatIsoUtc(fromUnixSeconds(seconds)) + ")";
}

}  // namespace

std::optional<NewTask> taskFromEvent(const AuditEvent& event, const std::set<std::string>& actions,
                                     const std::string& profile, TimePoint now, std::string& refusal) {
  refusal.clear();
  if (event.api_version != kApiVersion || event.action_type != kWrite || !succeeded(event) || !isClb(event) ||
      !actions.count(event.event_name) || !isValidRegion(event.event_region)) {
    return std::nullopt;
  }
  auto id = normalizeRequestId(event.request_id);
  if (!id) return std::nullopt;  // an API 2.0 id, or no id at all
  NewTask t;
  t.profile = profile;
  t.region = event.event_region;
  t.request_id = *id;
  t.operation = event.event_name;
  t.resource = event.load_balancer_id.empty() ? event.resource_name : event.load_balancer_id;
  t.source = kCloudAuditSource;
  t.actor = event.user_name.empty() ? event.principal_id : event.user_name;
  t.source_ip = event.source_ip;
  // Free text goes into reports: a field that is not well-formed UTF-8 is left out, the task kept.
  for (std::string* text : {&t.resource, &t.actor, &t.source_ip}) {
    if (!isValidUtf8(*text)) text->clear();
  }
  const std::string who = "audit event RequestID " + t.request_id + " (" + t.operation + ", " + t.region + ")";
  // Compared in seconds: a hostile EventTime near 2^63 would overflow milliseconds.
  if (event.event_time < toUnixSeconds(kEarliestSaneTime) || event.event_time > toUnixSeconds(now + kMaxFutureSkew)) {
    refusal = who + ": EventTime " + eventTimeText(event.event_time) + " is not " + kSaneTimeRange + "; skipped";
    return std::nullopt;
  }
  t.submitted_at = fromUnixSeconds(event.event_time);
  if (std::string field = overLongField(t); !field.empty()) {
    refusal = who + ": the " + field + " is too long; skipped";
    return std::nullopt;
  }
  return t;
}

}  // namespace taskledger::import
