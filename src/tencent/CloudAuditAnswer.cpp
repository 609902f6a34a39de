#include "taskledger/tencent/CloudAuditAnswer.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>

#include "taskledger/domain/JsonText.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// A field as text, whatever JSON scalar it is ("EventTime" is a string, "ErrorCode" a number).
std::string text(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return "";
  const Var v = o.get(key);
  if (v.isString()) return v.extract<std::string>();
  if (v.isInteger() && !v.isBoolean()) return std::to_string(v.convert<long long>());
  return "";
}

// An object given as a JSON object or as a JSON string holding one (both forms occur).
Object::Ptr nested(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return nullptr;
  if (auto obj = o.getObject(key)) return obj;
  const Var v = o.get(key);
  if (!v.isString()) return nullptr;
  try {
    Var parsed = Poco::JSON::Parser().parse(repairJsonText(v.extract<std::string>()));
    if (parsed.type() == typeid(Object::Ptr)) return parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

// Unix seconds written as a whole number, else 0 (which no sane time is): "1700000000abc" or
// "1.7e9" is not a time, and reading its first digits would make one up.
std::int64_t unixSeconds(const std::string& digits) {
  std::int64_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  return ec == std::errc() && ptr == end ? value : 0;
}

// A scalar as text whatever its JSON type, for fields whose type the service does not keep to
// (apiErrorCode: the integer 0 beside the string "0" in the official example).
std::string anyText(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return "";
  const Var v = o.get(key);
  if (v.isString() || v.isNumeric() || v.isBoolean()) return v.convert<std::string>();
  return "";
}

std::string loadBalancerOf(const Object& params) {
  if (std::string id = text(params, "LoadBalancerId"); !id.empty()) return id;
  if (auto ids = params.getArray("LoadBalancerIds"); ids && ids->size() > 0 && ids->get(0).isString()) {
    return ids->get(0).extract<std::string>();
  }
  return "";
}

AuditEvent readEvent(const Object& e) {
  AuditEvent a;
  a.event_id = text(e, "EventId");
  a.event_name = text(e, "EventName");
  a.event_time = unixSeconds(text(e, "EventTime"));
  a.event_region = text(e, "EventRegion");
  a.request_id = text(e, "RequestID");
  a.user_name = text(e, "Username");
  a.source_ip = text(e, "SourceIPAddress");
  a.error_code = text(e, "ErrorCode");
  a.event_source = text(e, "EventSource");
  if (auto r = e.getObject("Resources")) {
    a.resource_type = text(*r, "ResourceType");
    a.resource_name = text(*r, "ResourceName");
  }
  if (auto detail = nested(e, "CloudAuditEvent")) {
    a.api_version = text(*detail, "apiVersion");
    a.action_type = text(*detail, "actionType");
    a.api_error_code = anyText(*detail, "apiErrorCode");
    if (auto who = detail->getObject("userIdentity")) {
      a.principal_id = text(*who, "principalId");
      if (std::string name = text(*who, "userName"); !name.empty()) a.user_name = name;
    }
    if (auto params = nested(*detail, "requestParameters")) a.load_balancer_id = loadBalancerOf(*params);
    // What a call created is only in its answer (CreateLoadBalancer's LoadBalancerIds).
    if (a.load_balancer_id.empty()) {
      if (auto answer = nested(*detail, "responseElements")) a.load_balancer_id = loadBalancerOf(*answer);
    }
  }
  return a;
}

// A token is a number of a few digits; one far longer is not the service's.
constexpr std::size_t kMaxTokenBytes = 256;

AuditAnswer bad(const std::string& why, const std::string& request_id = "") {
  return AuditAnswer{makeApiError(kCodeBadResponse, "unexpected DescribeEvents answer: " + why, request_id)};
}

}  // namespace

AuditAnswer parseDescribeEventsAnswer(const std::string& body) {
  Object::Ptr response;
  try {
    Var root = Poco::JSON::Parser().parse(repairJsonText(body));
    if (root.type() != typeid(Object::Ptr)) return bad("not a JSON object");
    response = root.extract<Object::Ptr>()->getObject("Response");
  } catch (const Poco::Exception& e) {
    return bad("not JSON (" + e.message() + ")");
  }
  if (!response) return bad("no Response object");
  const std::string request_id = text(*response, "RequestId");
  if (auto error = response->getObject("Error")) {
    return AuditAnswer{makeApiError(text(*error, "Code"), text(*error, "Message"), request_id)};
  }
  if (request_id.empty()) return bad("no RequestId");
  AuditPage page;
  page.api_request_id = request_id;
  const auto events = response->getArray("Events");
  if (response->has("Events") && !response->isNull("Events") && !events) return bad("Events is not an array", request_id);
  for (std::size_t i = 0; events && i < events->size(); ++i) {
    auto e = events->getObject(static_cast<unsigned>(i));
    if (!e) return bad("an event is not an object", request_id);
    page.events.push_back(readEvent(*e));
  }
  // Without ListOver (or NextToken) there is no way to the next page: the list is over.
  if (response->has("ListOver") && !response->isNull("ListOver")) {
    const Var over = response->get("ListOver");
    if (!over.isBoolean()) return bad("ListOver is not a boolean", request_id);
    page.list_over = over.extract<bool>();
  }
  if (response->has("NextToken") && !response->isNull("NextToken")) {
    const Var token = response->get("NextToken");
    // A number keeps its digits exactly (Poco reads up to 64-bit integers exactly).
    if (token.isInteger() && !token.isBoolean()) {
      page.next_token = AuditToken{token.convert<std::string>(), true};
    } else if (token.isString()) {
      page.next_token = AuditToken{token.extract<std::string>(), false};
    } else {
      return bad("NextToken is neither an integer nor a string", request_id);
    }
    if (page.next_token->text.empty() || page.next_token->text.size() > kMaxTokenBytes) {
      return bad("NextToken is empty or longer than " + std::to_string(kMaxTokenBytes) + " bytes", request_id);
    }
  }
  return AuditAnswer{page};
}

}  // namespace taskledger::tencent
