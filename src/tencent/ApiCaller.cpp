#include "taskledger/tencent/ApiCaller.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <utility>

#include "TlsTrust.h"
#include "taskledger/domain/Text.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

// The Authorization value of an unsigned call (API.md "Credentials", TKE pods).
constexpr const char* kSkipSignature = "SKIP";

// Poco's own keep-alive expiry is turned off (reuse is decided in takeSession()).
const Poco::Timespan kNeverExpire(365LL * 86'400, 0);

Poco::Timespan toTimespan(Millis d) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

TimePoint wallNow() { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()); }

std::string readAnswer(std::istream& in, std::size_t max_bytes) {
  std::string answer;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    answer.append(buf, static_cast<std::size_t>(in.gcount()));
    if (answer.size() > max_bytes) {
      throw Poco::DataException("answer larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  return answer;
}

std::string describe(const Endpoint& ep) {
  const std::string target = ep.connect_address + ":" + std::to_string(ep.connect_port);
  return ep.tls_host == ep.connect_address ? ep.host_header : ep.host_header + " via " + target;
}

// Thrown when a call finds itself aborted between two steps.
struct Aborted {};

// Thrown when the proxy answers CONNECT with anything but 200.
struct ProxyRefused {
  int status;
  std::string reason;
};

// Tells the write gate, once, that the write is done: when it has left, or failed on the way.
// The time is rounded up, never earlier than the bytes can have left.
class WriteDone {
 public:
  explicit WriteDone(WriteGate* gate) : gate_(gate) {}
  WriteDone(const WriteDone&) = delete;
  WriteDone& operator=(const WriteDone&) = delete;
  ~WriteDone() { now(); }
  void now() {
    if (gate_) std::exchange(gate_, nullptr)->written(std::chrono::ceil<Millis>(std::chrono::system_clock::now()));
  }

 private:
  WriteGate* gate_;
};

ApiError proxyRefusal(const std::string& where, const ProxyRefused& refused, const ProxySettings& proxy) {
  const std::string status = "HTTP " + std::to_string(refused.status) + " " + serverText(refused.reason);
  if (refused.status == Poco::Net::HTTPResponse::HTTP_PROXY_AUTHENTICATION_REQUIRED) {
    return makeApiError(kCodeProxyAuthRequired, where + "the proxy " + proxy.describe() + " refused the credentials (" +
                                                    status + ")" + (proxy.username.empty() ? ": it wants a user and password" : ""));
  }
  return makeApiError(kCodeNetwork, where + "the proxy " + proxy.describe() + " refused the tunnel (" + status + ")");
}

}  // namespace

// ---- CallControl ---------------------------------------------------------------------------------

void CallControl::abort(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (aborted_) return;
  aborted_ = true;
  why_ = why;
  // Only the kernel's side of the socket is touched (HTTPSession::abort() would also run an
  // SSL_shutdown, racing the reading thread inside OpenSSL): the blocked read or write returns at
  // once and the calling thread closes its session itself.
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  cv_.notify_all();
}

bool CallControl::attach(int fd) {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  // A duplicate: Poco may close its descriptor (and the number be reused by another connection)
  // before detach(); shutting down this one still reaches the same socket, and only it.
  fd_ = fd >= 0 ? ::dup(fd) : -1;
  if (aborted_ && fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  return !aborted_;
}

void CallControl::detach() {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool CallControl::sleepUntil(TimePoint until) {
  std::unique_lock lock(mutex_);
  cv_.wait_until(lock, clampForWait(until), [&] { return aborted_; });
  return !aborted_;
}

bool CallControl::aborted() const {
  std::lock_guard lock(mutex_);
  return aborted_;
}

std::string CallControl::why() const {
  std::lock_guard lock(mutex_);
  return why_;
}

// ---- Session -------------------------------------------------------------------------------------

// A session that connects to the endpoint's connect address (or tunnels to it through the proxy)
// while SNI and the certificate check use the real host name, tells the call's CallControl about
// every socket it opens, and records how far a call got, so a timeout can say what it waited for.
class ApiCaller::Session final : public Poco::Net::HTTPSClientSession {
 public:
  enum class Phase { Connect, Handshake, Answer };

  Session(const Endpoint& ep, Poco::Net::Context::Ptr context, const HttpsClientOptions& o,
          std::atomic<std::uint64_t>& connects)
      : HTTPSClientSession(ep.connect_address, ep.connect_port, context),
        tls_host_(ep.tls_host), context_(std::move(context)), connects_(connects) {
    const Poco::Timespan timeout = toTimespan(o.timeout);
    setTimeout(timeout, timeout, timeout);
    // Always kept alive on Poco's side, so that sendRequest() never reconnects behind our back;
    // the fresh-connection mode sends "Connection: close" and drops the session instead.
    setKeepAlive(true);
    setKeepAliveTimeout(kNeverExpire);
    if (o.proxy && !o.proxy->bypasses(ep.host_header)) {  // the name and port asked for, as curl compares
      ProxyConfig proxy;
      proxy.host = o.proxy->host;
      proxy.port = o.proxy->port;
      proxy.username = o.proxy->username;
      proxy.password = o.proxy->password;
      setProxyConfig(proxy);
    }
  }

  void use(CallControl* control) { control_ = control; }
  void open() { reconnect(); }
  Phase phase() const { return phase_; }
  void answering() { phase_ = Phase::Answer; }
  int fd() { return socket().impl()->sockfd(); }

  // Free for another request: connected, and the server has not closed it (an idle kept-alive
  // connection that reads as ready holds an EOF or a close_notify).
  bool reusable(std::chrono::steady_clock::time_point now, Millis idle_reuse) {
    if (!connected() || now - last_used > idle_reuse) return false;
    // One poll(2) instead of Socket::poll(), which on Linux builds an epoll set for each call
    // (four system calls, asked before every request on a kept-alive connection).
    pollfd ready{fd(), POLLIN, 0};
    return ::poll(&ready, 1, 0) == 0;
  }

  std::chrono::steady_clock::time_point last_used{};

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    ++connects_;
    phase_ = Phase::Connect;
    if (getProxyHost().empty()) {
      // The descriptor is made before the TCP connect and watched at once, so that an abort also
      // ends a connect the server never answers (a full backlog, a dropped SYN).
      Poco::Net::StreamSocket tcp(address.family());
      watch(tcp.impl()->sockfd());
      attachSocket(Poco::Net::StreamSocket(
          new Poco::Net::SecureStreamSocketImpl(static_cast<Poco::Net::StreamSocketImpl*>(tcp.impl()), context_)));
      Poco::Net::SecureStreamSocket secure(socket());
      secure.setPeerHostName(tls_host_);
      secure.setLazyHandshake(true);  // the TCP connect first, so an abort can reach the handshake
      HTTPSession::connect(address);
      phase_ = Phase::Handshake;
      if (secure.completeHandshake() != 1) throw Poco::TimeoutException("TLS handshake");
      secure.verifyPeerCertificate();
    } else {
      Poco::Net::StreamSocket tunnel = tunnelThroughProxy();
      watch(tunnel.impl()->sockfd());
      phase_ = Phase::Handshake;
      attachSocket(Poco::Net::SecureStreamSocket::attach(tunnel, tls_host_, context_));
    }
  }

 private:
  // Poco's proxyConnect() (CONNECT host:port), but a refusal keeps the proxy's status: a 407 means
  // the proxy refused its credentials, which no retry can fix.
  // Its socket is watched from before the TCP connect, as the direct path's is: a proxy that
  // stalls or trickles its answer to CONNECT is ended by the deadline and by a stop signal too.
  Poco::Net::StreamSocket tunnelThroughProxy() {
    const Poco::Net::SocketAddress proxy_address(getProxyHost(), getProxyPort());
    Poco::Net::StreamSocket tcp(proxy_address.family());
    watch(tcp.impl()->sockfd());
    tcp.connect(proxy_address, getTimeout());
    Poco::Net::HTTPClientSession proxy(tcp);
    proxy.setTimeout(getTimeout());
    proxy.setKeepAlive(true);
    const std::string target = getHost() + ":" + std::to_string(getPort());
    Poco::Net::HTTPRequest connect(Poco::Net::HTTPRequest::HTTP_CONNECT, target, Poco::Net::HTTPMessage::HTTP_1_1);
    connect.set("Proxy-Connection", "keep-alive");
    connect.set("Host", getHost());
    proxyAuthenticateImpl(connect, getProxyConfig());
    proxy.sendRequest(connect);
    Poco::Net::HTTPResponse answer;
    proxy.receiveResponse(answer);
    if (answer.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) throw ProxyRefused{answer.getStatus(), answer.getReason()};
    return proxy.detachSocket();
  }

  void watch(int fd) {
    if (control_ && !control_->attach(fd)) throw Aborted{};
  }

  std::string tls_host_;
  Poco::Net::Context::Ptr context_;
  std::atomic<std::uint64_t>& connects_;
  CallControl* control_ = nullptr;
  Phase phase_ = Phase::Answer;
};

// ---- ApiCaller -----------------------------------------------------------------------------------

ApiCaller::ApiCaller(HttpsClientOptions options)
    : options_(std::move(options)), trust_(std::make_shared<const TlsTrust>(options_.ca_file)) {}

ApiCaller::~ApiCaller() = default;

TimePoint ApiCaller::signingTime() const { return options_.now ? options_.now() : wallNow(); }

std::unique_ptr<ApiCaller::Session> ApiCaller::takeSession(const Endpoint& ep) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[Key{ep.tls_host, ep.connect_address, ep.connect_port}];
    while (!idle.empty()) {
      std::unique_ptr<Session> s = std::move(idle.back());
      idle.pop_back();
      if (s->reusable(now, options_.idle_reuse)) return s;
    }
  }
  return std::make_unique<Session>(ep, trust_->context(), options_, connects_);
}

void ApiCaller::giveBack(const Endpoint& ep, std::unique_ptr<Session> session) {
  session->use(nullptr);
  session->last_used = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  idle_[Key{ep.tls_host, ep.connect_address, ep.connect_port}].push_back(std::move(session));
}

ApiOutcome ApiCaller::call(const ApiRequest& request, const Credentials& credentials, CallControl* control,
                           WriteGate* gate) {
  const Endpoint& ep = request.endpoint;
  const auto started = std::chrono::steady_clock::now();
  auto since = started;
  ApiOutcome out;
  const auto finish = [&](std::variant<ApiReply, ApiError> value) {
    if (control) control->detach();
    out.value = std::move(value);
    out.latency_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
    return out;
  };

  std::unique_ptr<Session> session = takeSession(ep);
  const bool reused = session->connected();
  session->use(control);
  TlsTrust::clearLastFailure();
  try {
    if (!reused) {
      session->open();
    } else if (control && !control->attach(session->fd())) {
      throw Aborted{};
    }
    SignInput in;
    in.host = ep.host_header;
    in.region = request.region;
    in.timestamp = toUnixSeconds(request.signed_at ? *request.signed_at : signingTime());
    in.payload = request.payload;
    in.language = options_.language;
    Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_POST, request.target.empty() ? "/" : request.target,
                                Poco::Net::HTTPMessage::HTTP_1_1);
    if (request.target.empty()) {
      for (const auto& [name, value] : sign(request.skip_signature ? Credentials{} : credentials, request.api, in).headers) {
        http.set(name, request.skip_signature && name == "Authorization" ? std::string(kSkipSignature) : value);
      }
    } else {
      http.setHost(ep.host_header);
      http.setContentType("application/json; charset=utf-8");
    }
    http.setContentLength(static_cast<std::streamsize>(request.payload.size()));
    http.setKeepAlive(options_.keep_alive);
    // The limiter's slot is taken now that nothing but the write is left (the signature's
    // timestamp has a resolution of seconds and may be a little older).
    while (gate) {
      const TimePoint now = wallNow();
      const TimePoint at = gate->admit(now);
      if (at <= now) break;
      if (!control) {
        std::this_thread::sleep_until(clampForWait(at));
      } else if (!control->sleepUntil(at)) {
        throw Aborted{};
      }
    }
    WriteDone done{gate};
    out.written_at = wallNow();
    since = std::chrono::steady_clock::now();
    session->answering();
    std::ostream& body = session->sendRequest(http);
    body << request.payload;
    body.flush();
    done.now();

    // Poco skips interim answers (100 Continue) and undoes chunked framing.
    Poco::Net::HTTPResponse response;
    std::istream& stream = session->receiveResponse(response);
    ApiReply reply;
    reply.body = readAnswer(stream, options_.max_answer_bytes);
    // Stream errors are swallowed by std::istream; Poco keeps the cause.
    if (const Poco::Exception* e = session->networkException()) e->rethrow();
    if (control && control->aborted()) throw Aborted{};
    reply.http_status = static_cast<int>(response.getStatus());
    reply.date = response.get("Date", "");
    reply.signed_at = fromUnixSeconds(in.timestamp);
    const bool keep = options_.keep_alive && response.getKeepAlive();
    if (control) control->detach();
    if (keep) giveBack(ep, std::move(session));
    return finish(std::move(reply));
  } catch (...) {
    const auto phase = session->phase();
    const std::string where = describe(ep) + ": ";
    const std::string ms = std::to_string(options_.timeout.count()) + " ms";
    ApiError error;
    bool network = false;
    try {
      throw;
    } catch (...) {
      if (control && control->aborted()) {
        error = makeApiError(kCodeTimeout, where + control->why());
      } else {
        try {
          throw;
        } catch (const Aborted&) {
          error = makeApiError(kCodeTimeout, where + "aborted");
        } catch (const ProxyRefused& e) {
          error = proxyRefusal(where, e, *options_.proxy);
        } catch (const Poco::TimeoutException&) {
          const char* what = phase == Session::Phase::Connect     ? "no connection within "
                             : phase == Session::Phase::Handshake ? "no TLS handshake within "
                                                                  : "no answer within ";
          error = makeApiError(kCodeTimeout, where + what + ms);
        } catch (const Poco::Net::CertificateValidationException& e) {
          error = makeApiError(kCodeCertificate, where + "the server certificate is not valid for " + ep.tls_host +
                                                     " (" + e.message() + ")");
        } catch (const Poco::Net::SSLException& e) {
          const std::string why = TlsTrust::lastFailure();
          if (!why.empty()) {
            error = makeApiError(kCodeCertificate, where + "the server certificate is not trusted by " +
                                                       trust_->caDescription() + ": " + why);
          } else {
            error = makeApiError(kCodeNetwork, where + "TLS: " + e.displayText());
            network = true;
          }
        } catch (const Poco::Net::DNSException& e) {
          // The name does not resolve: no retry within the run will change that.
          error = makeApiError(kCodeHostUnreachable, where + e.displayText());
        } catch (const Poco::Net::ConnectionRefusedException& e) {
          // Nothing listens there. Only on a fresh connection: a refusal can't come later.
          error = makeApiError(kCodeHostUnreachable, where + e.displayText());
        } catch (const Poco::Exception& e) {
          error = makeApiError(kCodeNetwork, where + e.displayText());
          network = true;
        } catch (const std::exception& e) {
          error = makeApiError(kCodeNetwork, where + e.what());
          network = true;
        }
      }
    }
    // A reused connection that failed before any answer came back was most likely closed by the
    // server while idle: worth one resend on a fresh one (the caller's, through its limiter).
    error.stale_connection = network && reused && phase == Session::Phase::Answer;
    return finish(std::move(error));
  }
}

}  // namespace taskledger::tencent
