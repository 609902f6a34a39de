#pragma once
// One signed JSON call to a Tencent Cloud API 3.0 service (service X, action Y, version Z at host
// H), over Poco HTTPSClientSessions: the one HTTPS path of every Tencent API taskledger calls
// (DescribeTaskStatus, STS AssumeRole, CloudAudit DescribeEvents).
//
// Each call POSTs "/" with the given JSON body and the headers of API.md, signed afresh (a new
// timestamp) just before it is written. It goes on a kept-alive session to its connect target
// when one is free (idle less than idle_reuse, and not closed by the server meanwhile), else on
// a new one; the server certificate is always verified, for the real host name (also sent as
// SNI) even when --resolve sends the connection elsewhere, and through a proxy (CONNECT).
// Thread-safe: concurrent calls use different sessions.
//
// Failures become ApiErrors, never exceptions: "Certificate" (the message names the certificate
// problem), "Timeout" (a connect, TLS handshake, send or read waited longer than the timeout, or
// the call was aborted: the message says which), "Network" (refused, reset, dropped, a proxy
// that refused the tunnel; `stale_connection` when it happened on a reused connection before any
// of the answer came back), "ProxyAuthRequired" (the proxy answered 407: credentials refused).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "taskledger/domain/CheckResult.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/HttpsClientOptions.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

class TlsTrust;

struct ApiRequest {
  ApiSpec api;
  Endpoint endpoint;
  std::string region;   // X-TC-Region; empty: not sent
  std::string payload;  // the JSON body: these exact bytes are signed and sent
  // The signing time (X-TC-Timestamp) of this call; nullopt: HttpsClientOptions::now or the
  // system clock. STS is asked at its caller's clock's time.
  std::optional<TimePoint> signed_at;
  // Set: a plain JSON POST to this path and query (a chat robot's webhook, report --notify),
  // sent unsigned; `api` and `region` are then unused. Empty: a signed API call to "/".
  std::string target;
  // Set: the API call goes with `Authorization: SKIP` instead of a signature, and no token (STS
  // AssumeRoleWithWebIdentity, whose caller has no keys yet); the credentials are unused.
  bool skip_signature = false;
};

// An HTTP answer, whatever its status; the caller parses the body.
struct ApiReply {
  int http_status = 0;
  std::string body;
  std::string date;  // the server's Date header (to tell a clock difference), may be empty
  TimePoint signed_at{};  // the X-TC-Timestamp the request was signed with
};

struct ApiOutcome {
  std::variant<ApiReply, ApiError> value;
  // When the request was written (after any connect and handshake, and the admission wait).
  std::optional<TimePoint> written_at;
  long long latency_ms = 0;  // from the write (or the start, if never written) to the answer
};

// The handle by which another thread ends one call, whatever it is waiting for (connect, TLS
// handshake, the admission wait, the answer): the caller's total deadline and signals.
class CallControl {
 public:
  // Thread-safe. The call ends soon after with a "Timeout" error whose message is `why`.
  void abort(const std::string& why);

  // For ApiCaller: the socket now in use (shut down on abort), and an interruptible sleep.
  bool attach(int fd);  // false when already aborted
  void detach();
  bool sleepUntil(TimePoint until);  // false when aborted meanwhile
  bool aborted() const;
  std::string why() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  // protected by mutex_:
  int fd_ = -1;
  bool aborted_ = false;
  std::string why_;
};

class ApiCaller {
 public:
  // Loads the trusted CAs once. Throws Error::usage naming --ca-file when they cannot be loaded.
  explicit ApiCaller(HttpsClientOptions options);
  ~ApiCaller();
  ApiCaller(const ApiCaller&) = delete;
  ApiCaller& operator=(const ApiCaller&) = delete;

  // One call, blocking. `gate`, when set, says when the write may go (WriteGate). `control` may
  // abort it.
  ApiOutcome call(const ApiRequest& request, const Credentials& credentials, CallControl* control = nullptr,
                  WriteGate* gate = nullptr);

  // How many TCP+TLS connections were opened so far (keep-alive shows as few).
  std::uint64_t connectionsOpened() const { return connects_.load(); }

 private:
  class Session;
  using Key = std::tuple<std::string, std::string, std::uint16_t>;  // tls host, address, port

  std::unique_ptr<Session> takeSession(const Endpoint& ep);
  void giveBack(const Endpoint& ep, std::unique_ptr<Session> session);
  TimePoint signingTime() const;

  HttpsClientOptions options_;
  std::shared_ptr<const TlsTrust> trust_;
  std::atomic<std::uint64_t> connects_{0};
  std::mutex mutex_;
  std::map<Key, std::vector<std::unique_ptr<Session>>> idle_;  // protected by mutex_
};

}  // namespace taskledger::tencent
