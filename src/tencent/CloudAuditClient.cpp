#include "taskledger/tencent/CloudAuditClient.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <set>
#include <sstream>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/tencent/BoundedCall.h"
#include "taskledger/tencent/CallRegistry.h"
#include "taskledger/tencent/CloudAuditAnswer.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

// CloudAudit has one access host for every region; the resolver still wants a region to check.
constexpr const char* kAnyRegion = "ap-guangzhou";
// The regions the international site's CloudAudit accepts (API.md "CloudAudit").
const std::set<std::string> kInternationalRegions = {"ap-guangzhou", "ap-hongkong", "ap-seoul",
                                                     "ap-singapore", "ap-tokyo",    "eu-frankfurt"};

std::string auditRegion(const CloudAuditOptions& o) {
  if (!isValidRegion(o.region)) throw Error::usage("--audit-region: '" + o.region + "' is not a region (like ap-guangzhou)");
  if (Poco::toLower(o.root_domain) == "intl.tencentcloudapi.com" && !kInternationalRegions.count(o.region)) {
    throw Error::usage("--audit-region: the international site's CloudAudit does not serve " + o.region +
                       "; use one of ap-guangzhou, ap-hongkong, ap-seoul, ap-singapore, ap-tokyo, eu-frankfurt");
  }
  return o.region;
}
// A page holds at most 50 events of a few KiB each; anything far larger is not an answer.
constexpr std::size_t kMaxAnswerBytes = 16 << 20;

bool refusesCredentials(const std::string& code) {
  if (code == "AuthFailure.SignatureExpire") return false;  // the clock, not the keys
  return code.rfind("AuthFailure", 0) == 0 || code.rfind("UnauthorizedOperation", 0) == 0;
}

Endpoint cloudAuditEndpoint(const CloudAuditOptions& o) {
  std::optional<Endpoint> host;
  try {
    host = parseEndpointUrl("https://cloudaudit." + o.root_domain);
  } catch (const Error&) {
    throw Error::usage("--root-domain '" + o.root_domain + "' is not a domain (like tencentcloudapi.com)");
  }
  return EndpointResolver::fromFlags("cloudaudit", "nearest", "https://" + host->host_header, o.resolve).resolve(kAnyRegion);
}

HttpsClientOptions callerOptions(HttpsClientOptions o) {
  o.max_answer_bytes = kMaxAnswerBytes;
  return o;
}

}  // namespace

ApiSpec cloudAuditDescribeEvents() { return ApiSpec{"cloudaudit", "DescribeEvents", "2019-03-19"}; }

CloudAuditClient::CloudAuditClient(CredentialProvider& credentials, const CloudAuditOptions& options)
    : credentials_(credentials), endpoint_(cloudAuditEndpoint(options)), region_(auditRegion(options)), timeout_(options.client.timeout),
      caller_(callerOptions(options.client)) {}

std::string CloudAuditClient::requestBody(const AuditQuery& query) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("StartTime", query.start_time);
  body.set("EndTime", query.end_time);
  body.set("MaxResults", query.max_results);
  Poco::JSON::Array::Ptr lookups = new Poco::JSON::Array;
  for (const auto& l : query.lookups) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("AttributeKey", l.key);
    o->set("AttributeValue", l.value);
    lookups->add(o);
  }
  body.set("LookupAttributes", lookups);
  if (query.next_token) {
    // Back exactly as it came: a number as the same digits, a string as the same string.
    const AuditToken& t = *query.next_token;
    if (!t.number) {
      body.set("NextToken", t.text);
    } else if (t.text.front() == '-') {
      body.set("NextToken", Poco::NumberParser::parse64(t.text));
    } else {
      body.set("NextToken", Poco::NumberParser::parseUnsigned64(t.text));
    }
  }
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

AuditAnswer CloudAuditClient::describeEvents(const AuditQuery& query) {
  ApiRequest request;
  request.api = cloudAuditDescribeEvents();
  request.endpoint = endpoint_;
  request.region = region_;  // required by DescribeEvents (MissingParameter without it)
  request.payload = requestBody(query);
  // No credentials is not a network matter: Error goes up as it is.
  BoundedCall bounded(timeout_, deadlineMessage(timeout_));
  const ApiOutcome outcome = caller_.call(request, credentials_.current(), &bounded.control());
  CallRegistry::throwIfStopped(endpoint_.host_header + " DescribeEvents");
  if (const auto* error = std::get_if<ApiError>(&outcome.value)) {
    AuditAnswer refused{*error};
    refused.credentials_refused = error->consequence == ErrorConsequence::RefuseCredentials;  // a proxy's 407
    return refused;
  }
  const ApiReply& reply = std::get<ApiReply>(outcome.value);
  if (reply.http_status != 200) {
    const std::string status = std::to_string(reply.http_status);
    return AuditAnswer{makeApiError(kHttpStatusPrefix + status, "HTTP " + status + " (" + endpoint_.host_header + ")")};
  }
  AuditAnswer answer = parseDescribeEventsAnswer(reply.body);
  if (!answer.ok()) answer.credentials_refused = refusesCredentials(answer.error().code);
  return answer;
}

}  // namespace taskledger::tencent
