#include "taskledger/tencent/StsClient.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "TemporaryKeyAnswer.h"
#include "taskledger/domain/Error.h"
#include "taskledger/tencent/BoundedCall.h"
#include "taskledger/tencent/CallRegistry.h"
#include "taskledger/domain/Text.h"

namespace taskledger::tencent {
namespace {

const ApiSpec kAssumeRole{"sts", "AssumeRole", "2018-08-13"};
const ApiSpec kAssumeRoleWithWebIdentity{"sts", "AssumeRoleWithWebIdentity", "2018-08-13"};

std::string text(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string body(const AssumeRoleRequest& r) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("RoleArn", r.role_arn);
  o.set("RoleSessionName", r.session_name);
  o.set("DurationSeconds", r.duration_seconds);
  if (!r.external_id.empty()) o.set("ExternalId", r.external_id);
  return text(o);
}

std::string body(const WebIdentityRequest& r) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("ProviderId", r.provider_id);
  o.set("WebIdentityToken", r.token);
  o.set("RoleArn", r.role_arn);
  o.set("RoleSessionName", r.session_name);
  o.set("DurationSeconds", r.duration_seconds);
  return text(o);
}

// A refused token (the kubelet's was stale or foreign) is a refusal like refused keys.
bool refusesKeys(const std::string& code) {
  return code.rfind("AuthFailure", 0) == 0 || code.rfind("UnauthorizedOperation", 0) == 0 ||
         code == "InvalidParameter.WebIdentityTokenError";
}

HttpsClientOptions callerOptions(const ServiceAccess& access) {
  HttpsClientOptions o;
  o.timeout = access.timeout;
  o.ca_file = access.ca_file;
  o.language = access.language;
  o.proxy = access.proxy;
  // One call every hour or two: a connection kept that long would only go stale.
  o.keep_alive = false;
  o.max_answer_bytes = kMaxKeyAnswer;
  return o;
}

}  // namespace

StsClient::StsClient(ServiceAccess access)
    : access_(std::move(access)), caller_(std::make_unique<ApiCaller>(callerOptions(access_))) {}

StsClient::~StsClient() = default;

TemporaryCredentials stsAnswerKeys(const std::string& body, const std::string& where, const std::string& role_arn) {
  const Poco::JSON::Object::Ptr root = parseKeyAnswer(body);
  const Poco::JSON::Object::Ptr response = root ? root->getObject("Response") : nullptr;
  if (!response) throw Error::runtime(where + ": the answer is not Tencent's JSON envelope");
  std::string request_id = "-", code, message;
  try {
    request_id = response->optValue<std::string>("RequestId", "-");
    if (auto error = response->getObject("Error")) {
      code = error->optValue<std::string>("Code", "?");
      message = error->optValue<std::string>("Message", "");
    }
  } catch (const Poco::Exception&) {
    throw Error::runtime(where + ": the answer's RequestId or Error is not text");
  }
  if (!code.empty()) {
    // The server's words, bounded here; escaped where they are printed.
    const std::string said = serverText(code) + ": " + serverText(message) + " (RequestId " + serverText(request_id) + ")";
    if (refusesKeys(code)) throw Error(ExitCode::AuthRefused, where + " refused the keys: " + said);
    throw Error::runtime(where + " for role " + role_arn + ": " + said);
  }
  const auto creds = response->getObject("Credentials");
  if (auto keys = creds ? temporaryKeysOf(*creds, *response) : std::nullopt) return *keys;
  throw Error::runtime(where + ": the answer lacks Credentials {TmpSecretId, TmpSecretKey, Token} or ExpiredTime"
                       " (RequestId " + serverText(request_id) + ")");
}

TemporaryCredentials StsClient::assumeRole(const Credentials& keys, const AssumeRoleRequest& request,
                                           TimePoint now) const {
  return call(kAssumeRole, body(request), access_.region, &keys, request.role_arn, now);
}

TemporaryCredentials StsClient::assumeRoleWithWebIdentity(const WebIdentityRequest& request, TimePoint now) const {
  return call(kAssumeRoleWithWebIdentity, body(request), request.region, nullptr, request.role_arn, now);
}

TemporaryCredentials StsClient::call(const ApiSpec& api, const std::string& payload, const std::string& region,
                                     const Credentials* keys, const std::string& role_arn, TimePoint now) const {
  const std::string host = this->host();
  const std::string where = "STS " + api.action + " at " + host;
  const ConnectTarget target = access_.endpoints.connectTarget(host, 443);

  ApiRequest call;
  call.api = api;
  call.endpoint = Endpoint{host, host, target.address, target.port};
  call.region = region;
  call.payload = payload;
  call.signed_at = now;
  call.skip_signature = keys == nullptr;
  BoundedCall bounded(access_.timeout, deadlineMessage(access_.timeout));
  const ApiOutcome outcome = caller_->call(call, keys ? *keys : Credentials{}, &bounded.control());
  CallRegistry::throwIfStopped(where);
  // The error's message starts with the host (and the address --resolve sent it to).
  if (const auto* error = std::get_if<ApiError>(&outcome.value)) {
    const bool refused = error->consequence == ErrorConsequence::RefuseCredentials;  // a proxy's 407
    throw Error(refused ? ExitCode::AuthRefused : ExitCode::Failure, "STS " + api.action + " at " + error->message);
  }
  const ApiReply& reply = std::get<ApiReply>(outcome.value);
  if (reply.http_status != 200) throw Error::runtime(where + ": HTTP " + std::to_string(reply.http_status));
  return stsAnswerKeys(reply.body, where, role_arn);
}

}  // namespace taskledger::tencent
