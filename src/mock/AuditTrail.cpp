#include "AuditTrail.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

using Poco::JSON::Object;

constexpr std::int64_t kMaxSpanSeconds = 30 * 86400;
// NextToken = an event time * kTokenScale + the offset of the next page.
constexpr std::int64_t kTokenScale = 10'000'000;
constexpr std::int64_t kLookbackSeconds = 90 * 86400;
constexpr int kMaxResults = 50;
constexpr int kDefaultResults = 10;

const std::set<std::string> kIgnoredKeys = {"SensitiveAction", "CamErrorCode", "Tags"};

std::string str(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return "";
  auto v = o.get(key);
  return v.isString() ? v.extract<std::string>() : v.toString();
}

Object::Ptr nested(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return nullptr;
  if (auto obj = o.getObject(key)) return obj;
  try {
    auto v = Poco::JSON::Parser().parse(str(o, key));
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::optional<std::int64_t> integer(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return std::nullopt;
  auto v = o.get(key);
  if (!v.isInteger() || v.isBoolean()) return std::nullopt;
  return v.convert<std::int64_t>();
}

AuditReply refuse(const std::string& code, const std::string& message) {
  AuditReply r;
  r.error_code = code;
  r.error_message = message;
  return r;
}

}  // namespace

AuditTrail AuditTrail::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::usage("--events: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return fromJson(text.str(), path);
}

AuditTrail AuditTrail::fromJson(const std::string& json, const std::string& origin) {
  AuditTrail trail;
  try {
    auto root = Poco::JSON::Parser().parse(json);
    if (root.type() != typeid(Poco::JSON::Array::Ptr)) throw Error::usage("--events: " + origin + " is not a JSON array");
    auto arr = root.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      auto e = arr->getObject(static_cast<unsigned>(i));
      if (!e) throw Error::usage("--events: " + origin + ": event " + std::to_string(i) + " is not an object");
      Stored s;
      s.time = std::stoll(str(*e, "EventTime"));
      s.request_id = str(*e, "RequestID");
      s.event_name = str(*e, "EventName");
      s.secret_id = str(*e, "SecretId");
      if (auto r = e->getObject("Resources")) {
        s.resource_type = str(*r, "ResourceType");
        s.resource_name = str(*r, "ResourceName");
      }
      if (auto d = nested(*e, "CloudAuditEvent")) {
        s.action_type = str(*d, "actionType");
        s.api_error_code = str(*d, "apiErrorCode");
        if (auto who = d->getObject("userIdentity")) s.principal_id = str(*who, "principalId");
      }
      if (e->has("MockServedAs")) {
        s.json = str(*e, "MockServedAs");
      } else {
        std::ostringstream out;
        e->stringify(out);
        s.json = out.str();
      }
      trail.events_.push_back(std::move(s));
    }
  } catch (const Poco::Exception& e) {
    throw Error::usage("--events: " + origin + " is not JSON (" + e.message() + ")");
  } catch (const std::logic_error&) {
    throw Error::usage("--events: " + origin + ": an EventTime is not Unix seconds");
  }
  std::stable_sort(trail.events_.begin(), trail.events_.end(),
                   [](const Stored& a, const Stored& b) { return a.time > b.time; });
  return trail;
}

AuditReply AuditTrail::describe(const std::string& body, std::int64_t now, Millis visibility_delay) const {
  Object::Ptr q;
  try {
    auto root = Poco::JSON::Parser().parse(body);
    if (root.type() == typeid(Object::Ptr)) q = root.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!q) return refuse("InvalidParameter", "The request body is not a JSON object.");
  const auto start = integer(*q, "StartTime"), end = integer(*q, "EndTime");
  if (!start || !end) return refuse("MissingParameter", "StartTime and EndTime (Unix seconds) are required.");
  if (*end < *start) return refuse("InvalidParameterValue.Time", "EndTime must not be before StartTime.");
  if (*end - *start >= kMaxSpanSeconds) {
    return refuse("InvalidParameterValue.Time", "The time range of one query must be less than 30 days.");
  }
  if (*start < now - kLookbackSeconds) {
    return refuse("InvalidParameterValue.Time", "Only events of the last 90 days can be queried.");
  }
  int max_results = kDefaultResults;
  if (q->has("MaxResults")) {
    auto m = integer(*q, "MaxResults");
    if (!m || *m < 1 || *m > kMaxResults) return refuse("InvalidParameterValue.MaxResult", "MaxResults must be 1 to 50.");
    max_results = static_cast<int>(*m);
  }
  std::int64_t offset = 0;
  if (q->has("NextToken")) {
    auto t = integer(*q, "NextToken");
    if (!t || *t < kTokenScale) return refuse("InvalidParameterValue", "NextToken is not one this service gave.");
    offset = *t % kTokenScale;
  }
  std::map<std::string, std::set<std::string>> filters;
  if (auto lookups = q->getArray("LookupAttributes")) {
    for (std::size_t i = 0; i < lookups->size(); ++i) {
      auto l = lookups->getObject(static_cast<unsigned>(i));
      if (!l) return refuse("InvalidParameterValue", "LookupAttributes holds a non-object.");
      const std::string key = str(*l, "AttributeKey");
      static const std::set<std::string> kKeys = {"RequestId",    "EventName",    "ActionType",  "PrincipalId",
                                                  "ResourceType", "ResourceName", "AccessKeyId", "ApiErrorCode"};
      if (kIgnoredKeys.count(key)) continue;
      if (!kKeys.count(key)) return refuse("InvalidParameterValue.AttributeKey", "Unknown AttributeKey " + key + ".");
      filters[key].insert(str(*l, "AttributeValue"));
    }
  }
  auto field = [](const Stored& s, const std::string& key) -> const std::string& {
    if (key == "RequestId") return s.request_id;
    if (key == "EventName") return s.event_name;
    if (key == "ActionType") return s.action_type;
    if (key == "PrincipalId") return s.principal_id;
    if (key == "ResourceType") return s.resource_type;
    if (key == "ResourceName") return s.resource_name;
    if (key == "AccessKeyId") return s.secret_id;
    return s.api_error_code;
  };
  const std::int64_t delay = visibility_delay.count() / 1000;
  AuditReply r;
  r.events_json = "[";
  std::int64_t matched = 0;
  int taken = 0;
  for (const Stored& s : events_) {
    if (s.time > *end || s.time < *start || s.time + delay > now) continue;
    bool match = std::all_of(filters.begin(), filters.end(),
                             [&](const auto& f) { return f.second.count(field(s, f.first)) > 0; });
    if (!match || matched++ < offset) continue;
    if (taken == max_results) {
      // Time-like, as the documented example (16805138109322956): the next event's time, then the
      // offset. Pages go newest first, so tokens fall: nothing may assume they grow.
      r.list_over = false;
      r.next_token = s.time * kTokenScale + offset + taken;
      break;
    }
    if (taken++) r.events_json += ',';
    r.events_json += s.json;
  }
  r.events_json += ']';
  return r;
}

}  // namespace taskledger::mock
