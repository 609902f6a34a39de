#pragma once
// The real AsyncTaskStatusApi: DescribeTaskStatus over HTTPS, many calls at once on the calling
// thread, with non-blocking sockets, OpenSSL on the run's shared TLS context and one poll() over
// every connection.
//
// Each call POSTs "/" with the compact body {"TaskId":"<id>"} and the headers of API.md, signed
// afresh (a new timestamp) when it is written. A call goes on a free kept-alive connection to its
// connect target when there is one (idle less than `idle_reuse`), else on a new one; the server
// certificate is always verified, for the real host name even when --resolve sends the connection
// elsewhere. Not thread-safe, except wake().
//
// Failures become ApiErrors in the call's result, never exceptions: "Certificate" (StopRun; the
// message names the certificate problem), "Timeout" (a connect, handshake step, send or read
// waited longer than the timeout), "Network" (refused, reset, dropped; `stale_connection` when it
// happened on a reused connection before any of the answer came back), "InvalidRegion", and
// whatever parseResponse() makes of the answer.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "taskledger/domain/AsyncTaskStatusApi.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/HttpsClientOptions.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

class TlsTrust;

class AsyncHttpsClient final : public AsyncTaskStatusApi {
 public:
  // Shares `trust` with the other clients of a run. HttpsApiClientFactory makes them.
  AsyncHttpsClient(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options,
                   std::shared_ptr<const TlsTrust> trust);
  ~AsyncHttpsClient() override;  // closes every connection; calls in flight are abandoned
  AsyncHttpsClient(const AsyncHttpsClient&) = delete;
  AsyncHttpsClient& operator=(const AsyncHttpsClient&) = delete;

  void start(CallId id, const TaskQuery& query) override;
  std::vector<Done> wait(TimePoint deadline, bool until_first) override;
  void wake() override;
  bool connectedTo(const std::string& host) const override;

  // How many TCP+TLS connections this client has opened so far (keep-alive shows as few).
  std::uint64_t connectionsOpened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskledger::tencent
