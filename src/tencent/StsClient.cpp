#include "taskledger/tencent/StsClient.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/StreamCopier.h>

#include <sstream>

#include "TemporaryKeyAnswer.h"
#include "TlsTrust.h"
#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

const ApiSpec kAssumeRole{"sts", "AssumeRole", "2018-08-13"};

Poco::Timespan timespan(Millis d) { return Poco::Timespan(d.count() / 1000, static_cast<long>(d.count() % 1000) * 1000); }

std::string body(const AssumeRoleRequest& r) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("RoleArn", r.role_arn);
  o.set("RoleSessionName", r.session_name);
  o.set("DurationSeconds", r.duration_seconds);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

bool refusesKeys(const std::string& code) {
  return code.rfind("AuthFailure", 0) == 0 || code.rfind("UnauthorizedOperation", 0) == 0;
}

}  // namespace

StsClient::StsClient(ServiceAccess access)
    : access_(std::move(access)), trust_(std::make_shared<const TlsTrust>(access_.ca_file)) {}

StsClient::~StsClient() = default;

TemporaryCredentials StsClient::assumeRole(const Credentials& keys, const AssumeRoleRequest& request,
                                           TimePoint now) const {
  const std::string host = this->host();
  const std::string where = "STS AssumeRole at " + host;
  const ConnectTarget target = access_.endpoints.connectTarget(host, 443);

  SignInput in;
  in.host = host;
  in.region = access_.region;
  in.timestamp = toUnixSeconds(now);
  in.payload = body(request);
  in.language = access_.language;
  const Signature signature = sign(keys, kAssumeRole, in);

  int status = 0;
  std::string answer;
  TlsTrust::clearLastFailure();
  try {
    // The socket carries the real name (SNI, certificate check); the session connects to the target.
    Poco::Net::SecureStreamSocket socket(trust_->context());
    socket.setPeerHostName(host);
    Poco::Net::HTTPSClientSession session(socket);
    session.setHost(target.address);
    session.setPort(target.port);
    session.setKeepAlive(false);
    session.setTimeout(timespan(access_.timeout));
    Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : signature.headers) http.set(name, value);
    http.setContentLength(static_cast<std::streamsize>(in.payload.size()));
    session.sendRequest(http) << in.payload;
    Poco::Net::HTTPResponse response;
    std::istream& stream = session.receiveResponse(response);
    status = response.getStatus();
    answer = readKeyAnswer(stream);
  } catch (const Poco::Exception& e) {
    const std::string tls = TlsTrust::lastFailure();
    throw Error::runtime(where + " (" + target.address + ":" + std::to_string(target.port) + "): " +
                         (tls.empty() ? e.displayText() : "certificate refused: " + tls + "; trusted: " +
                                                              trust_->caDescription()));
  }
  if (status != 200) throw Error::runtime(where + ": HTTP " + std::to_string(status));

  const Poco::JSON::Object::Ptr root = parseKeyAnswer(answer);
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
    const std::string text = code + ": " + message + " (RequestId " + request_id + ")";
    if (refusesKeys(code)) throw Error(ExitCode::AuthRefused, where + " refused the keys: " + text);
    throw Error::runtime(where + " for role " + request.role_arn + ": " + text);
  }
  const auto creds = response->getObject("Credentials");
  if (auto keys = creds ? temporaryKeysOf(*creds, *response) : std::nullopt) return *keys;
  throw Error::runtime(where + ": the answer lacks Credentials {TmpSecretId, TmpSecretKey, Token} or ExpiredTime"
                       " (RequestId " + request_id + ")");
}

}  // namespace taskledger::tencent
