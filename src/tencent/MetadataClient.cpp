#include "taskledger/tencent/MetadataClient.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>

#include "TemporaryKeyAnswer.h"
#include "taskledger/domain/Error.h"
#include "taskledger/tencent/BoundedCall.h"
#include "taskledger/tencent/CallRegistry.h"
#include "taskledger/domain/Text.h"

namespace taskledger::tencent {
namespace {

// CAM role names: letters, digits and +=,.@_- (at most 128); anything else must not reach a URL.
bool isRoleName(const std::string& role) {
  return !role.empty() && role.size() <= 128 && std::all_of(role.begin(), role.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string("+=,.@_-").find(static_cast<char>(c)) != std::string::npos;
  });
}

std::string url(const std::string& path) { return std::string("http://") + MetadataClient::kHost + path; }

// A plain HTTP session that hands its socket to the call's control before it connects, so that
// the total deadline or a stop signal can shut it whatever the server does.
class WatchedSession final : public Poco::Net::HTTPClientSession {
 public:
  WatchedSession(const ConnectTarget& target, CallControl& control)
      : HTTPClientSession(target.address, target.port), control_(control) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    Poco::Net::StreamSocket tcp(address.family());
    if (!control_.attach(tcp.impl()->sockfd())) throw Poco::TimeoutException(control_.why());
    attachSocket(tcp);
    HTTPSession::connect(address);
  }

 private:
  CallControl& control_;
};

// Releases the control's hold on the socket however the call ends.
struct Detach {
  CallControl& control;
  ~Detach() { control.detach(); }
};

}  // namespace

MetadataClient::MetadataClient(const ServiceAccess& access)
    : target_(access.endpoints.connectTarget(kHost, 80)), timeout_(access.metadata_timeout) {}

std::string MetadataClient::get(const std::string& path, int& http_status) const {
  // Each wait is bounded by the session's timeout, the whole call by the same short time: a
  // service that trickles a byte at a time must not hold the chain up.
  BoundedCall bounded(timeout_, deadlineMessage(timeout_));
  CallControl& control = bounded.control();
  Detach detach{control};
  try {
    WatchedSession session(target_, control);
    session.setKeepAlive(false);
    session.setTimeout(Poco::Timespan(timeout_.count() / 1000, static_cast<long>(timeout_.count() % 1000) * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(kHost);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& stream = session.receiveResponse(response);
    http_status = response.getStatus();
    std::string answer = readKeyAnswer(stream);
    // An aborted read ends like a short answer: the control knows better.
    if (control.aborted()) throw Poco::TimeoutException(control.why());
    return answer;
  } catch (const Poco::Exception& e) {
    const std::string where = "CVM metadata service " + url(path) + " (" + target_.address + ":" + std::to_string(target_.port) + ")";
    CallRegistry::throwIfStopped(where);
    if (control.aborted()) throw Error::runtime(where + ": " + control.why() + "; not a CVM, or no instance role?");
    throw Error::runtime(where + ": " + e.displayText() + " (each wait bounded to " + std::to_string(timeout_.count()) +
                         " ms); not a CVM, or no instance role?");
  }
}

std::string MetadataClient::roleName() const {
  int status = 0;
  const std::string answer = get(kCredentialsPath, status);
  if (status == 404) throw Error::runtime("CVM metadata service " + url(kCredentialsPath) + ": no role is bound to this instance");
  if (status != 200) throw Error::runtime("CVM metadata service " + url(kCredentialsPath) + ": HTTP " + std::to_string(status));
  // One role per instance; should a list come, the first line is the role.
  const std::string role = Poco::trim(answer.substr(0, answer.find('\n')));
  if (!isRoleName(role)) throw Error::runtime("CVM metadata service " + url(kCredentialsPath) + ": the answer is not a role name");
  return role;
}

TemporaryCredentials MetadataClient::roleCredentials(const std::string& role) const {
  if (!isRoleName(role)) throw Error::usage("CVM role '" + role + "': use letters, digits and +=,.@_- only");
  const std::string path = std::string(kCredentialsPath) + role;
  int status = 0;
  const std::string answer = get(path, status);
  if (status == 404) throw Error(ExitCode::AuthRefused, "CVM metadata service " + url(path) + ": role '" + role + "' is not bound to this instance");
  if (status != 200) throw Error::runtime("CVM metadata service " + url(path) + ": HTTP " + std::to_string(status));
  const Poco::JSON::Object::Ptr o = parseKeyAnswer(answer);
  if (!o) throw Error::runtime("CVM metadata service " + url(path) + ": the answer is not a JSON object");
  std::string code;
  try {
    code = o->optValue<std::string>("Code", "");
  } catch (const Poco::Exception&) {
    code = "(not text)";
  }
  if (code != "Success") {
    throw Error(ExitCode::AuthRefused, "CVM metadata service " + url(path) + ": Code " + (code.empty() ? "(none)" : serverText(code)));
  }
  if (auto keys = temporaryKeysOf(*o, *o)) return *keys;
  throw Error::runtime("CVM metadata service " + url(path) + ": the answer lacks TmpSecretId, TmpSecretKey, Token or ExpiredTime");
}

}  // namespace taskledger::tencent
