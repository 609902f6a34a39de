#include "taskledger/tencent/HttpsApiClient.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/UTF8String.h>

#include <chrono>
#include <map>
#include <tuple>

#include "TlsTrust.h"
#include "taskledger/domain/Error.h"
#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace taskledger::tencent {
namespace {

using Answer = std::variant<StatusAnswer, ApiError>;

// A DescribeTaskStatus answer is well under 1 KiB; anything this large is not one.
constexpr std::size_t kMaxAnswerBytes = 1 << 20;

// A session that connects to the endpoint's connect address while SNI and the certificate check
// use the real host name, and counts every connect, including the ones Poco makes on its own when
// a kept-alive connection has gone stale.
class TargetedSession final : public Poco::Net::HTTPSClientSession {
 public:
  TargetedSession(const Endpoint& ep, Poco::Net::Context::Ptr context, std::uint64_t& connects)
      : HTTPSClientSession(ep.connect_address, ep.connect_port, std::move(context)), connects_(connects) {
    Poco::Net::SecureStreamSocket(socket()).setPeerHostName(ep.tls_host);
  }

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    ++connects_;
    HTTPSClientSession::connect(address);
  }

 private:
  std::uint64_t& connects_;
};

// A transport failure, classified: kept apart from Answer so the caller can decide to reopen.
struct Failure {
  ApiError error;
  bool network = false;  // a connection-level failure that a fresh connection may not have
};

std::string describe(const Endpoint& ep) {
  const std::string target = ep.connect_address + ":" + std::to_string(ep.connect_port);
  return ep.tls_host == ep.connect_address ? ep.host_header : ep.host_header + " via " + target;
}

Poco::Timespan toTimespan(Millis d) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

std::string readAnswer(std::istream& in) {
  std::string answer;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    answer.append(buf, static_cast<std::size_t>(in.gcount()));
    if (answer.size() > kMaxAnswerBytes) throw Poco::DataException("answer larger than 1 MiB");
  }
  return answer;
}

}  // namespace

ApiSpec clbDescribeTaskStatus() { return ApiSpec{"clb", "DescribeTaskStatus", "2018-03-17"}; }

struct HttpsApiClient::Impl {
  using Key = std::tuple<std::string, std::string, std::uint16_t>;  // tls host, address, port

  Credentials credentials;
  EndpointResolver endpoints;
  HttpsClientOptions options;
  std::shared_ptr<const TlsTrust> trust;
  std::map<Key, std::unique_ptr<TargetedSession>> sessions;
  std::uint64_t connects = 0;

  static Key keyOf(const Endpoint& ep) { return {ep.tls_host, ep.connect_address, ep.connect_port}; }

  TargetedSession& session(const Endpoint& ep) {
    auto& slot = sessions[keyOf(ep)];
    if (!slot) {
      slot = std::make_unique<TargetedSession>(ep, trust->context(), connects);
      const Poco::Timespan timeout = toTimespan(options.timeout);
      slot->setTimeout(timeout, timeout, timeout);
      slot->setKeepAlive(options.keep_alive);
      slot->setKeepAliveTimeout(toTimespan(options.idle_reuse));
    }
    return *slot;
  }

  void drop(const Endpoint& ep) { sessions.erase(keyOf(ep)); }

  TimePoint now() const {
    if (options.now) return options.now();
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }

  // One request on `s`, signed now. Throws Poco exceptions for transport trouble.
  Answer exchange(TargetedSession& s, const Endpoint& ep, const TaskQuery& query, const std::string& body,
                  bool& keep_open, std::optional<TimePoint>& written_at) {
    SignInput in;
    in.host = ep.host_header;
    in.region = query.region;
    in.timestamp = toUnixSeconds(now());
    in.payload = body;
    const Signature signature = sign(credentials, options.api, in);

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : signature.headers) request.set(name, value);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setKeepAlive(options.keep_alive);
    std::ostream& out = s.sendRequest(request);  // connects (and handshakes) when needed
    out << body;
    out.flush();
    // The scheduler's rate limiter re-times the send to this moment (wall clock, not the
    // possibly skewed signing clock): a handshake can delay it well past its release.
    written_at = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());

    Poco::Net::HTTPResponse response;
    std::istream& stream = s.receiveResponse(response);
    const std::string answer = readAnswer(stream);
    // Stream errors are swallowed by std::istream; Poco keeps the cause.
    if (const Poco::Exception* e = s.networkException()) e->rethrow();
    keep_open = options.keep_alive && response.getKeepAlive();
    return parseResponse(static_cast<int>(response.getStatus()), answer);
  }

  Failure classify(const Endpoint& ep) const {
    const std::string where = describe(ep) + ": ";
    try {
      throw;
    } catch (const Poco::TimeoutException&) {
      return {makeApiError(kCodeTimeout, where + "no answer within " + std::to_string(options.timeout.count()) + " ms")};
    } catch (const Poco::Net::CertificateValidationException& e) {
      return {makeApiError(kCodeCertificate,
                           where + "the server certificate is not valid for " + ep.tls_host + " (" + e.message() + ")")};
    } catch (const Poco::Net::SSLException& e) {
      const std::string why = TlsTrust::lastFailure();
      if (!why.empty()) {
        return {makeApiError(kCodeCertificate, where + "the server certificate is not trusted by " +
                                                   trust->caDescription() + ": " + why)};
      }
      return {makeApiError(kCodeNetwork, where + "TLS: " + e.displayText()), true};
    } catch (const Poco::Exception& e) {
      return {makeApiError(kCodeNetwork, where + e.displayText()), true};
    } catch (const std::exception& e) {
      return {makeApiError(kCodeNetwork, where + e.what()), true};
    }
  }
};

HttpsApiClient::HttpsApiClient(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options,
                               std::shared_ptr<const TlsTrust> trust)
    : impl_(std::make_unique<Impl>(
          Impl{std::move(credentials), std::move(endpoints), std::move(options), std::move(trust), {}, 0})) {}

HttpsApiClient::~HttpsApiClient() = default;

std::uint64_t HttpsApiClient::connectionsOpened() const { return impl_->connects; }

CheckResult HttpsApiClient::describeTaskStatus(const TaskQuery& query) {
  const auto started = std::chrono::steady_clock::now();
  CheckResult result;
  const auto finish = [&](Answer value) {
    result.value = std::move(value);
    result.latency_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return result;
  };

  Endpoint ep;
  try {
    ep = impl_->endpoints.resolve(query.region);
  } catch (const Error& e) {
    return finish(makeApiError(kCodeInvalidRegion, e.what()));
  }
  result.endpoint_host = ep.host_header;
  // Compact, as the SDKs send it; these exact bytes are hashed into the signature.
  const std::string body = "{\"TaskId\":\"" + Poco::UTF8::escape(query.request_id, true) + "\"}";

  // A kept-alive connection the server has since closed only shows when it is used: then one
  // fresh connection, and a freshly signed request, before the failure counts.
  for (int attempt = 0;; ++attempt) {
    TargetedSession& session = impl_->session(ep);
    const bool reused = session.connected();
    TlsTrust::clearLastFailure();
    try {
      bool keep_open = false;
      Answer answer = impl_->exchange(session, ep, query, body, keep_open, result.written_at);
      if (!keep_open) impl_->drop(ep);
      return finish(std::move(answer));
    } catch (...) {
      Failure failure = impl_->classify(ep);
      impl_->drop(ep);
      if (failure.network && reused && attempt == 0) {
        if (impl_->options.resend_on_stale_connection) continue;
        failure.error.stale_connection = true;
      }
      return finish(std::move(failure.error));
    }
  }
}

HttpsApiClientFactory::HttpsApiClientFactory(Credentials credentials, EndpointResolver endpoints,
                                             HttpsClientOptions options)
    : credentials_(std::move(credentials)),
      endpoints_(std::move(endpoints)),
      options_(std::move(options)),
      trust_(std::make_shared<const TlsTrust>(options_.ca_file)) {}

HttpsApiClientFactory::~HttpsApiClientFactory() = default;

std::unique_ptr<HttpsApiClient> HttpsApiClientFactory::makeClient() const {
  return std::make_unique<HttpsApiClient>(credentials_, endpoints_, options_, trust_);
}

}  // namespace taskledger::tencent
