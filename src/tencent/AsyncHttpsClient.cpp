#include "taskledger/tencent/AsyncHttpsClient.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/UTF8String.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <map>
#include <optional>
#include <stdexcept>

#include "taskledger/tencent/HttpAnswer.h"
#include "TlsTrust.h"
#include "taskledger/domain/Error.h"
#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace taskledger::tencent {
namespace {

using Steady = std::chrono::steady_clock;

// A DescribeTaskStatus answer is well under 1 KiB; anything this large is not one.
constexpr std::size_t kMaxAnswerBytes = 1 << 20;

std::string describe(const Endpoint& ep) {
  const std::string target = ep.connect_address + ":" + std::to_string(ep.connect_port);
  return ep.tls_host == ep.connect_address ? ep.host_header : ep.host_header + " via " + target;
}

TimePoint wallNow() { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()); }

// The reason OpenSSL gave for the last failure on this thread, or `fallback`.
std::string sslReason(const std::string& fallback) {
  const unsigned long e = ERR_peek_last_error();
  if (e == 0) return fallback;
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

bool isIpAddress(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

// One TCP+TLS connection and the call it carries, if any.
struct Conn {
  enum class State { Connecting, Handshaking, Idle, Sending, Receiving };

  Endpoint ep;
  int fd = -1;
  SSL* ssl = nullptr;
  State state = State::Connecting;
  bool wants_write = false;      // the TLS step under way waits for the socket to take data (TLS may
                                 // need to read while sending, or to write while receiving)
  bool used = false;             // has carried a whole exchange: the server may since have closed it
  Steady::time_point deadline;   // of the network wait under way
  Steady::time_point idle_since;
  std::optional<AsyncTaskStatusApi::CallId> call;
  std::string out;
  std::size_t written = 0;
  std::string in;

  Conn() = default;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn() {
    if (ssl) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }
  // Kept alive, carrying nothing, and not idle so long that the server may have dropped it.
  bool free(Steady::time_point now, Millis idle_reuse) const {
    return state == State::Idle && !call && now - idle_since < idle_reuse;
  }
  short events() const {
    if (state == State::Connecting) return POLLOUT;
    return wants_write ? POLLOUT : POLLIN;
  }
};

// Why a connection failed, classified; thrown within the I/O steps, caught per connection.
struct ConnFailure {
  ApiError error;
};

}  // namespace

struct AsyncHttpsClient::Impl {
  struct Call {
    TaskQuery query;
    Endpoint ep;
    std::string body;
    Steady::time_point started;
    CheckResult result;
  };

  Credentials credentials;
  EndpointResolver endpoints;
  HttpsClientOptions options;
  std::shared_ptr<const TlsTrust> trust;
  std::list<Conn> conns;
  std::map<CallId, Call> calls;
  std::vector<Done> done;
  std::map<std::pair<std::string, std::uint16_t>, Poco::Net::SocketAddress> addresses;
  std::uint64_t connects = 0;
  int wake_fd = -1;
  std::vector<pollfd> fds;     // of one wait's poll; kept to reuse their memory
  std::vector<Conn*> polled;   // the connection of each fds entry after the first (wake_fd)

  Impl(Credentials c, EndpointResolver e, HttpsClientOptions o, std::shared_ptr<const TlsTrust> t)
      : credentials(std::move(c)), endpoints(std::move(e)), options(std::move(o)), trust(std::move(t)) {
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  }
  ~Impl() {
    conns.clear();
    ::close(wake_fd);
  }

  TimePoint signingNow() const { return options.now ? options.now() : wallNow(); }

  // The end of a network wait that starts now. Capped so that no flag value can overflow the clock.
  Steady::time_point stepDeadline() const {
    return Steady::now() + std::min<Millis>(options.timeout, std::chrono::hours(24));
  }

  void finish(CallId id, std::variant<StatusAnswer, ApiError> value) {
    auto it = calls.find(id);
    if (it == calls.end()) return;
    Call& c = it->second;
    c.result.value = std::move(value);
    c.result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - c.started).count();
    done.push_back({id, std::move(c.result)});
    calls.erase(it);
  }

  // ---- starting calls --------------------------------------------------------------------

  void start(CallId id, const TaskQuery& query) {
    Call& c = calls[id];
    c.query = query;
    c.started = Steady::now();
    try {
      c.ep = endpoints.resolve(query.region);
    } catch (const Error& e) {
      finish(id, makeApiError(kCodeInvalidRegion, e.what()));
      return;
    }
    c.result.endpoint_host = c.ep.host_header;
    // Compact, as the SDKs send it; these exact bytes are hashed into the signature.
    c.body = "{\"TaskId\":\"" + Poco::UTF8::escape(query.request_id, true) + "\"}";

    Conn* conn = nullptr;
    try {
      conn = freeConnection(c.ep);
      if (conn) {
        conn->call = id;
        beginSend(*conn);
      } else {
        conn = &conns.emplace_back();
        conn->ep = c.ep;
        conn->call = id;
        open(*conn);
      }
      // On an open connection, the write: now, while this thread is awake anyway. A connect still
      // in progress waits for the socket to become writable (wait()).
      if (conn->state != Conn::State::Connecting) step(*conn);
    } catch (const ConnFailure& f) {
      fail(*conn, f.error);
    } catch (const std::exception& e) {  // e.g. out of memory: the call still ends, as an error
      const ApiError error = makeApiError(kCodeNetwork, describe(c.ep) + ": " + e.what());
      if (conn) {
        fail(*conn, error);
      } else {
        finish(id, error);
      }
    }
  }

  // A kept-alive connection to `ep`'s target that is free, not idle too long and not closed by
  // the server meanwhile (nothing may arrive unasked on an idle connection: data or end of
  // stream both mean it is done). Closes the ones found unusable.
  Conn* freeConnection(const Endpoint& ep) {
    const auto now = Steady::now();
    for (auto it = conns.begin(); it != conns.end();) {
      if (it->state != Conn::State::Idle || !(it->ep == ep)) {
        ++it;
        continue;
      }
      char byte;
      const bool quiet = ::recv(it->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      if (quiet && it->free(now, options.idle_reuse)) return &*it;
      it = conns.erase(it);
    }
    return nullptr;
  }

  const Poco::Net::SocketAddress& addressOf(const Endpoint& ep) {
    const auto key = std::make_pair(ep.connect_address, ep.connect_port);
    auto it = addresses.find(key);
    if (it == addresses.end()) {
      try {
        it = addresses.emplace(key, Poco::Net::SocketAddress(ep.connect_address, ep.connect_port)).first;
      } catch (const Poco::Exception& e) {
        throw ConnFailure{makeApiError(kCodeNetwork, describe(ep) + ": " + e.displayText())};
      }
    }
    return it->second;
  }

  void open(Conn& conn) {
    const Poco::Net::SocketAddress& address = addressOf(conn.ep);
    ++connects;
    conn.fd = ::socket(address.family() == Poco::Net::SocketAddress::IPv6 ? AF_INET6 : AF_INET,
                       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (conn.fd < 0) throw networkFailure(conn, errno);
    conn.deadline = stepDeadline();
    if (::connect(conn.fd, address.addr(), address.length()) == 0) {
      beginHandshake(conn);
    } else if (errno == EINPROGRESS) {
      conn.state = Conn::State::Connecting;
    } else {
      throw networkFailure(conn, errno);
    }
  }

  void beginHandshake(Conn& conn) {
    conn.state = Conn::State::Handshaking;
    conn.ssl = SSL_new(trust->context()->sslContext());
    if (!conn.ssl || SSL_set_fd(conn.ssl, conn.fd) != 1) {
      throw ConnFailure{makeApiError(kCodeNetwork, describe(conn.ep) + ": TLS: " + sslReason("cannot set up"))};
    }
    SSL_set_mode(conn.ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // An end of stream without close_notify reads as the end (answers carry their length).
    SSL_set_options(conn.ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
    const std::string& name = conn.ep.tls_host;
    // The name check must never be silently off: a failure here fails the connection.
    const bool named = isIpAddress(name)
                           ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(conn.ssl), name.c_str()) == 1
                           : SSL_set_tlsext_host_name(conn.ssl, name.c_str()) == 1 &&  // SNI: the real name
                                 SSL_set1_host(conn.ssl, name.c_str()) == 1;
    if (!named) {
      throw ConnFailure{makeApiError(kCodeNetwork, describe(conn.ep) + ": TLS: cannot set the name to verify")};
    }
    SSL_set_connect_state(conn.ssl);
  }

  void beginSend(Conn& conn) {
    Call& c = calls.at(*conn.call);
    SignInput in;
    in.host = c.ep.host_header;
    in.region = c.query.region;
    in.timestamp = toUnixSeconds(signingNow());
    in.payload = c.body;
    const Signature signature = sign(credentials, options.api, in);
    conn.out = "POST / HTTP/1.1\r\n";
    for (const auto& [name, value] : signature.headers) conn.out += name + ": " + value + "\r\n";
    conn.out += "Content-Length: " + std::to_string(c.body.size()) + "\r\n";
    conn.out += options.keep_alive ? "Connection: Keep-Alive\r\n\r\n" : "Connection: close\r\n\r\n";
    conn.out += c.body;
    conn.written = 0;
    conn.in.clear();
    conn.state = Conn::State::Sending;
    conn.wants_write = true;
    conn.deadline = stepDeadline();
  }

  // ---- carrying connections forward ----------------------------------------------------------

  // Does what the connection's state allows without blocking. Throws ConnFailure.
  void step(Conn& conn) {
    if (conn.state == Conn::State::Connecting) {
      int err = 0;
      socklen_t len = sizeof err;
      if (::getsockopt(conn.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      if (err != 0) throw networkFailure(conn, err);
      beginHandshake(conn);
    }
    if (conn.state == Conn::State::Handshaking) {
      if (!handshake(conn)) return;
      beginSend(conn);  // a connection is only opened for a call
    }
    if (conn.state == Conn::State::Sending) {
      if (!send(conn)) return;
      conn.state = Conn::State::Receiving;
      conn.wants_write = false;
      conn.deadline = stepDeadline();
      return;  // the answer takes a round trip: no point trying to read it yet
    }
    if (conn.state == Conn::State::Receiving) {
      receive(conn);
      return;
    }
  }

  bool handshake(Conn& conn) {
    ERR_clear_error();
    errno = 0;
    TlsTrust::clearLastFailure();
    const int r = SSL_connect(conn.ssl);
    if (r == 1) return true;
    const int err = SSL_get_error(conn.ssl, r);
    const int sys_errno = errno;
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      conn.wants_write = err == SSL_ERROR_WANT_WRITE;
      conn.deadline = stepDeadline();
      return false;
    }
    const std::string where = describe(conn.ep) + ": ";
    const long verify = SSL_get_verify_result(conn.ssl);
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      throw ConnFailure{makeApiError(kCodeCertificate, where + "the server certificate is not valid for " +
                                                           conn.ep.tls_host + " (" +
                                                           X509_verify_cert_error_string(verify) + ")")};
    }
    const std::string why = TlsTrust::lastFailure();
    if (!why.empty()) {
      throw ConnFailure{makeApiError(kCodeCertificate, where + "the server certificate is not trusted by " +
                                                           trust->caDescription() + ": " + why)};
    }
    if (err == SSL_ERROR_SYSCALL && sys_errno != 0) throw networkFailure(conn, sys_errno);
    throw ConnFailure{makeApiError(kCodeNetwork, where + "TLS handshake failed: " +
                                                     sslReason("the connection was closed during the handshake"))};
  }

  // Writes what the socket takes; true once the whole request is out.
  bool send(Conn& conn) {
    while (conn.written < conn.out.size()) {
      ERR_clear_error();
      errno = 0;
      const int r = SSL_write(conn.ssl, conn.out.data() + conn.written, static_cast<int>(conn.out.size() - conn.written));
      if (r > 0) {
        conn.written += static_cast<std::size_t>(r);
        conn.deadline = stepDeadline();
        continue;
      }
      const int err = SSL_get_error(conn.ssl, r);
      if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
        conn.wants_write = err == SSL_ERROR_WANT_WRITE;
        return false;
      }
      throw ioFailure(conn, err);
    }
    // The scheduler's rate limiter re-times the send to this moment (wall clock, not the possibly
    // skewed signing clock): a handshake can delay it well past its release.
    calls.at(*conn.call).result.written_at = wallNow();
    return true;
  }

  void receive(Conn& conn) {
    bool closed = false;
    char buf[16384];
    while (true) {
      ERR_clear_error();
      errno = 0;
      const int r = SSL_read(conn.ssl, buf, sizeof buf);
      if (r > 0) {
        conn.in.append(buf, static_cast<std::size_t>(r));
        conn.deadline = stepDeadline();
        if (conn.in.size() > kMaxAnswerBytes) break;
        continue;
      }
      const int err = SSL_get_error(conn.ssl, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        conn.wants_write = err == SSL_ERROR_WANT_WRITE;
        break;
      }
      if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && errno == 0)) {
        closed = true;
        break;
      }
      throw ioFailure(conn, err);
    }
    if (closed && conn.in.empty()) {
      throw ConnFailure{makeApiError(kCodeNetwork, describe(conn.ep) + ": the connection was closed without an answer")};
    }
    std::optional<HttpAnswer> answer;
    try {
      answer = readHttpAnswer(conn.in, closed, kMaxAnswerBytes);
    } catch (const std::runtime_error& e) {
      throw ConnFailure{makeApiError(kCodeNetwork, describe(conn.ep) + ": " + e.what())};
    }
    if (!answer) return;
    const CallId id = *conn.call;
    // Bytes after the answer were not asked for: the connection's framing cannot be trusted.
    const bool clean = conn.in.size() == answer->size;
    conn.call.reset();
    conn.used = true;
    conn.in.clear();
    conn.state = Conn::State::Idle;
    conn.idle_since = Steady::now();
    finish(id, parseResponse(answer->status, answer->body));
    if (!options.keep_alive || !answer->keep_alive || !clean) forget(conn);
  }

  ConnFailure networkFailure(const Conn& conn, int err) const {
    return {makeApiError(kCodeNetwork, describe(conn.ep) + ": " + std::strerror(err))};
  }

  ConnFailure ioFailure(const Conn& conn, int ssl_err) const {
    if (ssl_err == SSL_ERROR_SYSCALL && errno != 0) return networkFailure(conn, errno);
    return {makeApiError(kCodeNetwork, describe(conn.ep) + ": TLS: " + sslReason("connection failed"))};
  }

  // Ends `conn`'s call (if any) with `error` and forgets the connection.
  void fail(Conn& conn, ApiError error) {
    if (conn.call) {
      // Nothing of the answer came back on a connection that had served before: most likely the
      // server closed it while it was idle. Worth one resend on a fresh connection.
      const bool before_answer = conn.state == Conn::State::Sending ||
                                 (conn.state == Conn::State::Receiving && conn.in.empty());
      if (conn.used && before_answer && error.code == kCodeNetwork) error.stale_connection = true;
      finish(*conn.call, std::move(error));
    }
    forget(conn);
  }

  void forget(Conn& conn) {
    conns.remove_if([&](const Conn& c) { return &c == &conn; });
  }

  // ---- the wait ------------------------------------------------------------------------------

  std::vector<Done> wait(TimePoint deadline, bool until_first) {
    while (true) {
      dropExpiredIdle();
      const bool enough = until_first && !done.empty();
      fds.clear();
      polled.clear();
      fds.push_back({wake_fd, POLLIN, 0});
      Steady::time_point next = Steady::time_point::max();
      // Idle connections are not watched: polling each costs on every wait, and one the server
      // closed meanwhile is found out when it is next picked (freeConnection).
      for (Conn& c : conns) {
        if (c.state == Conn::State::Idle) continue;
        fds.push_back({c.fd, c.events(), 0});
        polled.push_back(&c);
        next = std::min(next, c.deadline);
      }
      // At most an hour per poll: the loop goes round again, and no deadline can overflow the clock.
      const Millis wall_left = std::min<Millis>(deadline - wallNow(), std::chrono::hours(1));
      auto left = std::min<Steady::duration>(wall_left,
                                             next == Steady::time_point::max() ? Steady::duration::max() / 2
                                                                               : next - Steady::now());
      if (enough || left < Steady::duration::zero()) left = Steady::duration::zero();
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
      const int n = ::ppoll(fds.data(), fds.size(), &ts, nullptr);
      if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));

      bool woken = false;
      if (n > 0 && (fds[0].revents & POLLIN)) {
        std::uint64_t count;
        while (::read(wake_fd, &count, sizeof count) > 0) {
        }
        woken = true;
      }
      for (std::size_t i = 1; n > 0 && i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        Conn& conn = *polled[i - 1];
        try {
          step(conn);
        } catch (const ConnFailure& f) {
          fail(conn, f.error);
        }
      }
      expireTimedOut();
      if (woken || (until_first && !done.empty()) || wallNow() >= deadline) break;
    }
    std::vector<Done> out;
    out.swap(done);
    return out;
  }

  void expireTimedOut() {
    const auto now = Steady::now();
    for (auto it = conns.begin(); it != conns.end();) {
      Conn& c = *it++;
      if (c.state == Conn::State::Idle || now < c.deadline) continue;
      fail(c, makeApiError(kCodeTimeout, describe(c.ep) + ": " + waitingFor(c) + " within " +
                                             std::to_string(options.timeout.count()) + " ms"));
    }
  }

  static const char* waitingFor(const Conn& c) {
    switch (c.state) {
      case Conn::State::Connecting: return "no connection";
      case Conn::State::Handshaking: return "no TLS handshake";
      case Conn::State::Sending: return "the request could not be sent";
      default: return "no answer";
    }
  }

  void dropExpiredIdle() {
    const auto now = Steady::now();
    conns.remove_if([&](const Conn& c) { return c.state == Conn::State::Idle && !c.free(now, options.idle_reuse); });
  }
};

AsyncHttpsClient::AsyncHttpsClient(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options,
                                   std::shared_ptr<const TlsTrust> trust)
    : impl_(std::make_unique<Impl>(std::move(credentials), std::move(endpoints), std::move(options), std::move(trust))) {}

AsyncHttpsClient::~AsyncHttpsClient() = default;

void AsyncHttpsClient::start(CallId id, const TaskQuery& query) { impl_->start(id, query); }

std::vector<AsyncTaskStatusApi::Done> AsyncHttpsClient::wait(TimePoint deadline, bool until_first) {
  return impl_->wait(deadline, until_first);
}

void AsyncHttpsClient::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(impl_->wake_fd, &one, sizeof one);
}

bool AsyncHttpsClient::connectedTo(const std::string& host) const {
  const auto now = Steady::now();
  return std::any_of(impl_->conns.begin(), impl_->conns.end(),
                     [&](const Conn& c) { return c.ep.host_header == host && c.free(now, impl_->options.idle_reuse); });
}

std::uint64_t AsyncHttpsClient::connectionsOpened() const { return impl_->connects; }

}  // namespace taskledger::tencent
