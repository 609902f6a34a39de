#include "taskledger/import/AuditEventFilter.h"

#include "taskledger/domain/Validation.h"

namespace taskledger::import {
namespace {

constexpr const char* kProduct = "clb";
constexpr const char* kApiVersion = "3.0";
constexpr const char* kWrite = "Write";

bool succeeded(const AuditEvent& e) {
  return (e.error_code.empty() || e.error_code == "0") && e.api_error_code.empty();
}

// ResourceType names the product; events without one fall back to the API host they went to.
bool isClb(const AuditEvent& e) {
  if (!e.resource_type.empty()) return e.resource_type == kProduct;
  return e.event_source.rfind(std::string(kProduct) + ".", 0) == 0;
}

}  // namespace

std::optional<NewTask> taskFromEvent(const AuditEvent& event, const std::set<std::string>& actions,
                                     const std::string& profile) {
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
  t.submitted_at = fromUnixSeconds(event.event_time);
  t.actor = event.user_name.empty() ? event.principal_id : event.user_name;
  t.source_ip = event.source_ip;
  // Free text goes into reports: a field that is not well-formed UTF-8 is left out, the task kept.
  for (std::string* text : {&t.resource, &t.actor, &t.source_ip}) {
    if (!isValidUtf8(*text)) text->clear();
  }
  return t;
}

}  // namespace taskledger::import
