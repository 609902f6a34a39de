#include "taskledger/mock/AuditEventGenerator.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <random>
#include <sstream>

#include "Random.h"
#include "taskledger/domain/ClbAsyncActions.h"

namespace taskledger::mock {
namespace {

using Poco::JSON::Object;

const char* const kUsers[] = {"alice", "bob", "terraform", "ci-pipeline"};
// Noise, dealt in turn. Each must be refused by discover for exactly one reason.
enum class Noise { Read, Failed, Api2, OtherProduct, Synchronous, kCount };

std::string stringify(const Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

struct EventSpec {
  std::string name, region, request_id, resource_type = "clb", resource_name, action_type = "Write";
  std::string api_version = "3.0", api_error_code, user, principal, source_ip, request_parameters = "{}",
                                   response_elements = "{}";
  std::int64_t time = 0;
  int error_code = 0;
};

Poco::JSON::Object::Ptr event(const EventSpec& s, const std::string& event_id) {
  Object::Ptr identity = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  identity->set("principalId", s.principal);
  identity->set("userName", s.user);
  identity->set("type", s.user.empty() ? "AssumedRole" : "CAMUser");
  Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
  detail.set("apiVersion", s.api_version);
  detail.set("actionType", s.action_type);
  // As the official example: the integer 0 for a call that succeeded, beside errorCode "0".
  if (s.api_error_code.empty()) {
    detail.set("apiErrorCode", 0);
    detail.set("errorCode", "0");
  } else {
    detail.set("apiErrorCode", s.api_error_code);
    detail.set("errorCode", s.api_error_code);
  }
  detail.set("requestID", s.request_id);
  detail.set("userIdentity", identity);
  detail.set("requestParameters", s.request_parameters);
  detail.set("responseElements", s.response_elements);
  Object::Ptr resources = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  resources->set("ResourceType", s.resource_type);
  resources->set("ResourceName", s.resource_name);
  Object::Ptr e = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  e->set("EventId", event_id);
  e->set("EventName", s.name);
  e->set("EventTime", std::to_string(s.time));
  e->set("EventRegion", s.region);
  e->set("EventSource", s.resource_type + ".tencentcloudapi.com");
  e->set("RequestID", s.request_id);
  e->set("Username", s.user.empty() ? s.principal : s.user);
  e->set("SecretId", "AKIDgenerated");
  e->set("SourceIPAddress", s.source_ip);
  e->set("AccountID", 100000000001LL);
  e->set("ErrorCode", s.error_code);
  e->set("Resources", resources);
  e->set("CloudAuditEvent", stringify(detail));
  return e;
}

}  // namespace

GeneratedEvents generateAuditEvents(const Generated& g, const AuditGeneratorOptions& o) {
  std::mt19937_64 rng(o.seed ^ 0xa0d17ull);
  Poco::JSON::Array events;
  GeneratedEvents out;
  auto who = [&](EventSpec& s) {
    const auto pick = rng();
    if (pick % 5 == 0) {  // a role session: no user name, only the principal
      s.principal = "100000000001:role-deploy";
    } else {
      s.user = kUsers[pick % std::size(kUsers)];
      s.principal = "10000000" + std::to_string(1000 + pick % std::size(kUsers));
    }
    s.source_ip = "10.0." + std::to_string(rng() % 256) + "." + std::to_string(1 + rng() % 254);
  };
  auto add = [&](const EventSpec& s) { events.add(event(s, uuidFrom(rng(), rng()))); };

  std::int64_t earliest = 0, latest = 0;
  for (const GeneratedTask& t : g.tasks) {
    if (t.kind == "unknown") continue;
    EventSpec s;
    s.name = t.operation;
    s.region = t.region;
    s.request_id = t.request_id;
    s.time = toUnixSeconds(t.submitted_at);
    s.resource_name = t.resource;
    who(s);
    // The three forms a call names its load balancer in: one id, a list, or none (the event's
    // resource name then says it).
    switch (rng() % 3) {
      case 0: s.request_parameters = "{\"LoadBalancerId\":\"" + t.resource + "\",\"Port\":443}"; break;
      case 1: s.request_parameters = "{\"LoadBalancerIds\":[\"" + t.resource + "\",\"lb-other000\"]}"; break;
      default: s.request_parameters = "{}"; break;
    }
    // A load balancer being created has no id in the call: only its answer names it.
    if (t.operation == "CreateLoadBalancer") {
      s.request_parameters = "{\"LoadBalancerType\":\"OPEN\",\"Number\":1}";
      s.response_elements = "{\"LoadBalancerIds\":[\"" + t.resource + "\"],\"DealName\":\"20261207000000000001\"}";
      s.resource_name = "";
    }
    add(s);
    earliest = earliest ? std::min(earliest, s.time) : s.time;
    latest = std::max(latest, s.time);
    if (clbAsyncActions().count(t.operation)) {
      out.expected.push_back({t.request_id, t.region, t.operation, t.resource,
                              s.user.empty() ? s.principal : s.user, s.source_ip, s.time});
    }
  }
  if (latest == 0) latest = toUnixSeconds(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
  if (earliest == 0) earliest = latest - 600;
  const std::string region = g.tasks.empty() ? "ap-guangzhou" : g.tasks.front().region;
  for (int i = 0; i < o.noise; ++i) {
    EventSpec s;
    s.region = g.tasks.empty() ? region : g.tasks[static_cast<std::size_t>(i) % g.tasks.size()].region;
    s.request_id = uuidFrom(rng(), rng());
    s.time = earliest + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(latest - earliest + 1));
    s.name = "CreateListener";
    s.resource_name = "lb-noise" + std::to_string(i % 100);
    who(s);
    switch (static_cast<Noise>(i % static_cast<int>(Noise::kCount))) {
      case Noise::Read:
        s.name = "DescribeLoadBalancers";
        s.action_type = "Read";
        break;
      case Noise::Failed:
        s.error_code = 4000;
        s.api_error_code = "InvalidParameterValue";
        break;
      case Noise::Api2:
        s.api_version = "2.0";
        s.request_id = std::to_string(15936031437374 + i) + "_1553056587.6815_v2";
        break;
      case Noise::OtherProduct:
        s.resource_type = "cvm";
        s.name = "RebootInstances";
        break;
      case Noise::Synchronous:
      case Noise::kCount:
        s.name = "CreateClsLogSet";  // answers at once: no task
        break;
    }
    add(s);
    ++out.noise;
  }
  out.events = events.size();
  std::ostringstream text;
  events.stringify(text);
  out.json = text.str();
  return out;
}

}  // namespace taskledger::mock
