#pragma once
// The real TaskStatusApi: DescribeTaskStatus over HTTPS with Poco NetSSL.
//
// Each call POSTs "/" with the compact body {"TaskId":"<id>"} and the headers of API.md, signed
// afresh (a new timestamp) on every attempt. One client is one worker: it keeps one kept-alive
// connection per connect target and reuses it across calls; it is not thread-safe. A kept-alive
// connection found broken is reopened once, and the request re-signed and resent, before the
// failure counts (DescribeTaskStatus is read-only, so resending is safe).
//
// Making an HttpsApiClientFactory sets SIGPIPE to ignored unless the program chose otherwise:
// a connection reset by the peer must be a "Network" error, not the end of the process.
//
// The server certificate is always verified (against --ca-file, or the system store), for the
// real host name even when --resolve sends the connection elsewhere; there is no way to turn this
// off. Failures become ApiErrors, never exceptions:
//   "Certificate" (StopRun; the message names the certificate problem), "Timeout" (connect or a
//   read took longer than the timeout), "Network" (refused, reset, dropped), "InvalidRegion",
//   and whatever parseResponse() makes of the answer.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/domain/Time.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

// CLB's DescribeTaskStatus, the API taskledger polls.
ApiSpec clbDescribeTaskStatus();

struct HttpsClientOptions {
  ApiSpec api = clbDescribeTaskStatus();
  // Bounds each network wait: the connect, each step of the TLS handshake, each send and read.
  // A server that accepts but never completes the handshake is given up on after about three.
  Millis timeout{10000};
  std::string ca_file;    // PEM bundle to trust; empty: the system store
  // The signing time (X-TC-Timestamp); empty: the system clock. Tests skew it.
  std::function<TimePoint()> now;
  // false: a fresh connection for every request (benchmarks compare the two).
  bool keep_alive = true;
  // A kept-alive connection idle this long is reopened instead of reused. Poco's default is 8 s,
  // which made a worker that sat out a few seconds pay a new TLS handshake; servers commonly keep
  // idle connections 30 to 75 s (the SDKs' HTTP stacks reuse them for 90 s and more). A server
  // that closes one sooner costs one resend (resend_on_stale_connection).
  Millis idle_reuse{25000};
  // Resend once on a fresh connection when a reused one fails. The scheduler turns this off and
  // resends itself (ApiError::stale_connection), so that the resend also passes its rate limiter.
  bool resend_on_stale_connection = true;
};

class TlsTrust;

class HttpsApiClient final : public TaskStatusApi {
 public:
  // Shares `trust` with the other workers of a run. Use HttpsApiClientFactory to make one.
  HttpsApiClient(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options,
                 std::shared_ptr<const TlsTrust> trust);
  ~HttpsApiClient() override;
  HttpsApiClient(const HttpsApiClient&) = delete;
  HttpsApiClient& operator=(const HttpsApiClient&) = delete;

  CheckResult describeTaskStatus(const TaskQuery& query) override;

  // How many TCP+TLS connections this client has opened so far (keep-alive shows as few).
  std::uint64_t connectionsOpened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the `run` command holds: the settings of a run, and one client per worker from them.
// Thread-safe: makeClient() may be called from any thread.
class HttpsApiClientFactory {
 public:
  // Loads the trusted CAs once. Throws Error::usage naming --ca-file when they cannot be loaded.
  HttpsApiClientFactory(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options);
  ~HttpsApiClientFactory();

  std::unique_ptr<HttpsApiClient> makeClient() const;

  // The rate limiter's key parts: whose budget (SecretId) and which access host.
  const std::string& secretId() const { return credentials_.secret_id; }
  const EndpointResolver& endpoints() const { return endpoints_; }

 private:
  Credentials credentials_;
  EndpointResolver endpoints_;
  HttpsClientOptions options_;
  std::shared_ptr<const TlsTrust> trust_;
};

}  // namespace taskledger::tencent
