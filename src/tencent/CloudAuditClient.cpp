#include "taskledger/tencent/CloudAuditClient.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <sstream>

#include "TlsTrust.h"
#include "taskledger/domain/Error.h"
#include "taskledger/tencent/CloudAuditAnswer.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

// CloudAudit has one access host for every region; the resolver still wants a region to check.
constexpr const char* kAnyRegion = "ap-guangzhou";
// A page holds at most 50 events of a few KiB each; anything far larger is not an answer.
constexpr std::streamsize kMaxAnswerBytes = 16 << 20;

bool refusesCredentials(const std::string& code) {
  if (code == "AuthFailure.SignatureExpire") return false;  // the clock, not the keys
  return code.rfind("AuthFailure", 0) == 0 || code.rfind("UnauthorizedOperation", 0) == 0;
}

// Connects to the endpoint's address (--resolve) while TLS sends and verifies the real host name.
// Poco resolves and connects to the session's host itself, so the session is given the address,
// and the peer name is set on its socket before each (re)connect.
class ResolvedHttpsSession final : public Poco::Net::HTTPSClientSession {
 public:
  ResolvedHttpsSession(const Endpoint& e, Poco::Net::Context::Ptr context)
      : HTTPSClientSession(e.connect_address, e.connect_port, context), tls_host_(e.tls_host) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    Poco::Net::SecureStreamSocket(socket()).setPeerHostName(tls_host_);
    HTTPSClientSession::connect(address);
  }

 private:
  std::string tls_host_;
};

Endpoint cloudAuditEndpoint(const CloudAuditOptions& o) {
  std::optional<Endpoint> host;
  try {
    host = parseEndpointUrl("https://cloudaudit." + o.root_domain);
  } catch (const Error&) {
    throw Error::usage("--root-domain '" + o.root_domain + "' is not a domain (like tencentcloudapi.com)");
  }
  return EndpointResolver::fromFlags("cloudaudit", "nearest", "https://" + host->host_header, o.resolve).resolve(kAnyRegion);
}

Poco::Timespan span(Millis d) { return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(d.count()) * 1000); }

}  // namespace

ApiSpec cloudAuditDescribeEvents() { return ApiSpec{"cloudaudit", "DescribeEvents", "2019-03-19"}; }

struct CloudAuditClient::Trust {
  explicit Trust(const std::string& ca_file) : tls(ca_file) {}
  TlsTrust tls;
};

struct CloudAuditClient::Connection {
  std::unique_ptr<Poco::Net::HTTPSClientSession> session;
};

CloudAuditClient::CloudAuditClient(CredentialProvider& credentials, const CloudAuditOptions& options)
    : credentials_(credentials),
      endpoint_(cloudAuditEndpoint(options)),
      timeout_(options.timeout),
      trust_(std::make_unique<Trust>(options.ca_file)),
      connection_(std::make_unique<Connection>()) {}

CloudAuditClient::~CloudAuditClient() = default;

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
  if (query.next_token) body.set("NextToken", *query.next_token);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

AuditAnswer CloudAuditClient::describeEvents(const AuditQuery& query) {
  AuditAnswer answer = call(requestBody(query));
  if (!answer.ok()) answer.credentials_refused = refusesCredentials(answer.error().code);
  return answer;
}

AuditAnswer CloudAuditClient::call(const std::string& body) {
  const std::string where = " (" + endpoint_.host_header + ")";
  try {
    if (!connection_->session) {
      TlsTrust::clearLastFailure();
      connection_->session = std::make_unique<ResolvedHttpsSession>(endpoint_, trust_->tls.context());
      connection_->session->setKeepAlive(true);
      connection_->session->setTimeout(span(timeout_));
    }
    auto& session = *connection_->session;
    const Credentials creds = credentials_.current();
    SignInput in;
    in.host = endpoint_.host_header;
    in.timestamp = toUnixSeconds(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
    in.payload = body;
    const Signature sig = sign(creds, cloudAuditDescribeEvents(), in);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : sig.headers) request.set(name, value);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setKeepAlive(true);
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in_stream = session.receiveResponse(response);
    std::string answer;
    char chunk[8192];
    while (in_stream.read(chunk, sizeof chunk) || in_stream.gcount() > 0) {
      answer.append(chunk, static_cast<std::size_t>(in_stream.gcount()));
      if (static_cast<std::streamsize>(answer.size()) > kMaxAnswerBytes) {
        connection_->session.reset();
        return AuditAnswer{makeApiError(kCodeBadResponse, "answer larger than " + std::to_string(kMaxAnswerBytes) +
                                                              " bytes" + where)};
      }
    }
    if (!response.getKeepAlive()) connection_->session.reset();
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
      return AuditAnswer{makeApiError(kHttpStatusPrefix + std::to_string(static_cast<int>(response.getStatus())),
                                      "HTTP " + std::to_string(static_cast<int>(response.getStatus())) + where)};
    }
    return parseDescribeEventsAnswer(answer);
  } catch (const Error&) {
    throw;  // no credentials: not a network matter
  } catch (const Poco::TimeoutException& e) {
    connection_->session.reset();
    return AuditAnswer{makeApiError(kCodeTimeout, e.displayText() + where)};
  } catch (const Poco::Net::CertificateValidationException& e) {
    connection_->session.reset();
    return AuditAnswer{makeApiError(kCodeCertificate, "certificate of " + endpoint_.tls_host + " not trusted: " +
                                                          e.displayText() + " (trusting " + trust_->tls.caDescription() + ")")};
  } catch (const Poco::Exception& e) {
    connection_->session.reset();
    if (std::string failure = TlsTrust::lastFailure(); !failure.empty()) {
      return AuditAnswer{makeApiError(kCodeCertificate, "certificate of " + endpoint_.tls_host + " not trusted: " +
                                                            failure + " (trusting " + trust_->tls.caDescription() + ")")};
    }
    return AuditAnswer{makeApiError(kCodeNetwork, e.displayText() + where)};
  }
}

}  // namespace taskledger::tencent
