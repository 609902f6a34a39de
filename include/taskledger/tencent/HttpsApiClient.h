#pragma once
// The real TaskStatusApi: one DescribeTaskStatus call at a time, blocking, over an
// AsyncHttpsClient (whose comment says what is sent, verified and reported).
//
// It keeps one kept-alive connection per connect target and reuses it across calls; it is not
// thread-safe. A kept-alive connection found broken is reopened once, and the request re-signed
// and resent, before the failure counts (DescribeTaskStatus is read-only, so resending is safe).
//
// Making an HttpsApiClientFactory sets SIGPIPE to ignored unless the program chose otherwise:
// a connection reset by the peer must be a "Network" error, not the end of the process.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/domain/Time.h"
#include "taskledger/tencent/AsyncHttpsClient.h"
#include "taskledger/tencent/HttpsClientOptions.h"

namespace taskledger::tencent {

class TlsTrust;

class HttpsApiClient final : public TaskStatusApi {
 public:
  // Shares `trust` with the other clients of a run. Use HttpsApiClientFactory to make one.
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

// What the `run` command holds: the settings of a run, and clients made from them, which share
// the trusted CAs. Thread-safe: makeClient() may be called from any thread.
class HttpsApiClientFactory {
 public:
  // Loads the trusted CAs once. Throws Error::usage naming --ca-file when they cannot be loaded.
  HttpsApiClientFactory(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options);
  ~HttpsApiClientFactory();

  std::unique_ptr<HttpsApiClient> makeClient() const;
  std::unique_ptr<AsyncHttpsClient> makeAsyncClient() const;

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
