#include "taskledger/tencent/HttpsApiClient.h"

#include <chrono>

#include "TlsTrust.h"

namespace taskledger::tencent {

ApiSpec clbDescribeTaskStatus() { return ApiSpec{"clb", "DescribeTaskStatus", "2018-03-17"}; }

struct HttpsApiClient::Impl {
  Impl(Credentials c, EndpointResolver e, const HttpsClientOptions& o, std::shared_ptr<const TlsTrust> t)
      : client(std::move(c), std::move(e), o, std::move(t)), resend_on_stale_connection(o.resend_on_stale_connection) {}
  AsyncHttpsClient client;
  bool resend_on_stale_connection;
  AsyncTaskStatusApi::CallId next_id = 0;
};

HttpsApiClient::HttpsApiClient(Credentials credentials, EndpointResolver endpoints, HttpsClientOptions options,
                               std::shared_ptr<const TlsTrust> trust)
    : impl_(std::make_unique<Impl>(std::move(credentials), std::move(endpoints), options, std::move(trust))) {}

HttpsApiClient::~HttpsApiClient() = default;

std::uint64_t HttpsApiClient::connectionsOpened() const { return impl_->client.connectionsOpened(); }

CheckResult HttpsApiClient::describeTaskStatus(const TaskQuery& query) {
  // A kept-alive connection the server has since closed only shows when it is used: then one
  // fresh connection, and a freshly signed request, before the failure counts.
  for (int attempt = 0;; ++attempt) {
    const auto id = ++impl_->next_id;
    impl_->client.start(id, query);
    std::vector<AsyncTaskStatusApi::Done> done;
    // Every network wait is bounded by the timeout; this only keeps the wait call itself finite.
    while (done.empty() || done.front().id != id) {
      done = impl_->client.wait(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + Millis(60'000), true);
    }
    CheckResult result = std::move(done.front().result);
    if (!result.ok() && result.error().stale_connection && attempt == 0 && impl_->resend_on_stale_connection) continue;
    return result;
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

std::unique_ptr<AsyncHttpsClient> HttpsApiClientFactory::makeAsyncClient() const {
  return std::make_unique<AsyncHttpsClient>(credentials_, endpoints_, options_, trust_);
}

}  // namespace taskledger::tencent
