// The real client against the local endpoint, over real TLS on 127.0.0.1.
#include "taskledger/tencent/HttpsApiClient.h"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <thread>

#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/TestCertificates.h"

namespace taskledger::tencent {
namespace {

using mock::MockServer;
using mock::MockServerOptions;
using mock::TaskScript;
using taskledger::testing::TempDir;

const std::string kSecretId = "AKIDclienttest";
const std::string kSecretKey = "CANARY-client-secret-key";
const std::string kRegion = "ap-guangzhou";
const std::string kRealHost = "clb.ap-guangzhou.tencentcloudapi.com";

const std::string kDone = "11111111-1111-4111-8111-111111111111";
const std::string kFailed = "22222222-2222-4222-8222-222222222222";
const std::string kRunning = "33333333-3333-4333-8333-333333333333";
const std::string kCancelled = "44444444-4444-4444-8444-444444444444";
const std::string kUnknown = "55555555-5555-4555-8555-555555555555";

TaskScript sequence(std::vector<int> statuses, std::string message = "", std::vector<std::string> lbs = {}) {
  TaskScript t;
  t.region = kRegion;
  t.statuses = std::move(statuses);
  t.message = std::move(message);
  t.load_balancer_ids = std::move(lbs);
  return t;
}

class HttpsApiClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    certs_ = new mock::TestCertificates(mock::generateTestCertificates(dir_->file("trusted"), {kRealHost}));
    other_ = new mock::TestCertificates(mock::generateTestCertificates(dir_->file("other")));
  }
  static void TearDownTestSuite() {
    delete other_;
    delete certs_;
    delete dir_;
  }

  MockServerOptions serverOptions() const {
    MockServerOptions o;
    o.cert_file = certs_->server_cert;
    o.key_file = certs_->server_key;
    o.credentials = {{kSecretId, kSecretKey}};
    o.rate = 0;
    o.scenario.tasks[kDone] = sequence({0}, "", {"lb-6efswuxa"});
    o.scenario.tasks[kFailed] = sequence({1}, "listener port conflict", {"lb-1", "lb-2"});
    o.scenario.tasks[kRunning] = sequence({2});
    TaskScript cancelled;
    cancelled.kind = TaskScript::Kind::FixedError;
    cancelled.region = kRegion;
    cancelled.error_code = "FailedOperation";
    cancelled.message = "the task was cancelled";
    o.scenario.tasks[kCancelled] = cancelled;
    return o;
  }

  MockServer& startServer(MockServerOptions o) {
    server_ = std::make_unique<MockServer>(std::move(o));
    server_->start();
    return *server_;
  }
  MockServer& startServer() { return startServer(serverOptions()); }

  std::string endpointUrl() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }

  std::unique_ptr<HttpsApiClient> client(HttpsClientOptions o = {}, Credentials creds = {kSecretId, kSecretKey, ""},
                                         std::optional<EndpointResolver> endpoints = std::nullopt) {
    if (o.ca_file.empty()) o.ca_file = certs_->ca_cert;
    if (!endpoints) endpoints = EndpointResolver::fromFlags("clb", "regional", endpointUrl(), {});
    factory_ = std::make_unique<HttpsApiClientFactory>(creds, *endpoints, o);
    return factory_->makeClient();
  }

  std::unique_ptr<AsyncHttpsClient> asyncClient(HttpsClientOptions o = {}) {
    client(o);  // makes factory_
    return factory_->makeAsyncClient();
  }

  static ApiError expectError(const CheckResult& r) {
    EXPECT_FALSE(r.ok()) << (r.ok() ? "status " + std::to_string(r.answer().status) : "");
    if (r.ok()) return {};
    EXPECT_EQ(r.error().message.find(kSecretKey), std::string::npos) << r.error().message;
    return r.error();
  }

  static inline TempDir* dir_ = nullptr;
  static inline mock::TestCertificates* certs_ = nullptr;
  static inline mock::TestCertificates* other_ = nullptr;
  std::unique_ptr<MockServer> server_;
  std::unique_ptr<HttpsApiClientFactory> factory_;
};

TEST_F(HttpsApiClientTest, AnswersStatusesWithEveryField) {
  startServer();
  auto c = client();

  const CheckResult done = c->describeTaskStatus({kRegion, kDone});
  ASSERT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
  EXPECT_EQ(done.answer().status, 0);
  EXPECT_EQ(done.answer().load_balancer_ids, std::vector<std::string>{"lb-6efswuxa"});
  EXPECT_FALSE(done.answer().api_request_id.empty());
  EXPECT_EQ(done.endpoint_host, "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_GE(done.latency_ms, 0);

  const CheckResult failed = c->describeTaskStatus({kRegion, kFailed});
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed.answer().status, 1);
  EXPECT_EQ(failed.answer().message, "listener port conflict");
  EXPECT_EQ(failed.answer().load_balancer_ids, (std::vector<std::string>{"lb-1", "lb-2"}));

  const CheckResult running = c->describeTaskStatus({kRegion, kRunning});
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running.answer().status, 2);
  EXPECT_NE(running.answer().api_request_id, done.answer().api_request_id);

  EXPECT_EQ(server_->stats().signature_failures, 0u);
}

TEST_F(HttpsApiClientTest, KeepsOneConnectionAlive) {
  startServer();
  auto c = client();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  EXPECT_EQ(c->connectionsOpened(), 1u);
  EXPECT_EQ(server_->stats().connections, 1u);
}

TEST_F(HttpsApiClientTest, FreshConnectionModeConnectsForEveryRequest) {
  startServer();
  HttpsClientOptions o;
  o.keep_alive = false;
  auto c = client(o);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  EXPECT_EQ(c->connectionsOpened(), 3u);
  EXPECT_EQ(server_->stats().connections, 3u);
}

TEST_F(HttpsApiClientTest, TemporaryCredentialsSendTheToken) {
  MockServerOptions o = serverOptions();
  o.tokens = {{kSecretId, "session-token"}};
  startServer(o);
  EXPECT_TRUE(client({}, {kSecretId, kSecretKey, "session-token"})->describeTaskStatus({kRegion, kDone}).ok());
  EXPECT_EQ(expectError(client()->describeTaskStatus({kRegion, kDone})).code, "AuthFailure.TokenFailure");
}

TEST_F(HttpsApiClientTest, RefusedTasks) {
  startServer();
  auto c = client();
  const ApiError unknown = expectError(c->describeTaskStatus({kRegion, kUnknown}));
  EXPECT_EQ(unknown.code, "InvalidParameter");
  EXPECT_EQ(unknown.consequence, ErrorConsequence::RejectTask);
  EXPECT_FALSE(unknown.api_request_id.empty());

  const ApiError cancelled = expectError(c->describeTaskStatus({kRegion, kCancelled}));
  EXPECT_EQ(cancelled.code, "FailedOperation");
  EXPECT_EQ(cancelled.message, "the task was cancelled");
  EXPECT_EQ(cancelled.consequence, ErrorConsequence::RejectTask);
}

TEST_F(HttpsApiClientTest, RateLimitedIsRetryLater) {
  MockServerOptions o = serverOptions();
  o.rate = 1;
  startServer(o);
  auto c = client();
  ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  const ApiError e = expectError(c->describeTaskStatus({kRegion, kRunning}));
  EXPECT_EQ(e.code, "RequestLimitExceeded");
  EXPECT_TRUE(e.rate_limited);
  EXPECT_EQ(e.consequence, ErrorConsequence::RetryLater);
}

struct FaultCase {
  const char* name;
  double mock::FaultPlan::*probability;
  const char* code;
};

TEST_F(HttpsApiClientTest, InjectedServerFaultsAreRetryLater) {
  const FaultCase cases[] = {{"internal", &mock::FaultPlan::internal, "InternalError"},
                             {"http500", &mock::FaultPlan::http500, "HttpStatus.500"},
                             {"truncated", &mock::FaultPlan::truncated, "BadResponse"},
                             {"drop", &mock::FaultPlan::drop, "Network"}};
  for (const FaultCase& f : cases) {
    MockServerOptions o = serverOptions();
    o.faults.*(f.probability) = 1.0;
    startServer(o);
    auto c = client();
    const ApiError e = expectError(c->describeTaskStatus({kRegion, kDone}));
    EXPECT_EQ(e.code, f.code) << f.name << ": " << e.message;
    EXPECT_EQ(e.consequence, ErrorConsequence::RetryLater) << f.name;
    EXPECT_FALSE(e.unknown_code) << f.name;
    server_.reset();
  }
}

TEST_F(HttpsApiClientTest, WrongSecretStopsTheRun) {
  startServer();
  const ApiError wrong = expectError(client({}, {kSecretId, "not-the-key", ""})->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(wrong.code, "AuthFailure.SignatureFailure");
  EXPECT_EQ(wrong.consequence, ErrorConsequence::StopRun);

  const ApiError unknown = expectError(client({}, {"AKIDnobody", kSecretKey, ""})->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(unknown.code, "AuthFailure.SecretIdNotFound");
  EXPECT_EQ(unknown.consequence, ErrorConsequence::StopRun);
}

TEST_F(HttpsApiClientTest, ClockTenMinutesOffIsSignatureExpire) {
  startServer();
  for (const auto skew : {std::chrono::minutes(10), std::chrono::minutes(-10)}) {
    HttpsClientOptions o;
    o.now = [skew] { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now() + skew); };
    const ApiError e = expectError(client(o)->describeTaskStatus({kRegion, kDone}));
    EXPECT_EQ(e.code, "AuthFailure.SignatureExpire");
    EXPECT_EQ(e.consequence, ErrorConsequence::StopRun);
  }
}

TEST_F(HttpsApiClientTest, BrokenKeptAliveConnectionIsReopenedOnce) {
  startServer();
  auto c = client();
  ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  // The server goes away (closing the kept-alive connection) and comes back on the same port.
  const int port = server_->port();
  server_.reset();
  MockServerOptions o = serverOptions();
  o.port = port;
  startServer(o);

  const CheckResult r = c->describeTaskStatus({kRegion, kRunning});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(c->connectionsOpened(), 2u);
  EXPECT_EQ(server_->stats().signature_failures, 0u);
}

TEST_F(HttpsApiClientTest, ConnectionRefusedIsNetwork) {
  startServer();
  auto c = client();
  server_.reset();
  const ApiError e = expectError(c->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(e.code, "Network");
  EXPECT_EQ(e.consequence, ErrorConsequence::RetryLater);
}

TEST_F(HttpsApiClientTest, SlowAnswerTimesOut) {
  MockServerOptions o = serverOptions();
  o.faults.slow = 1.0;
  o.faults.slow_for = Millis(5000);
  startServer(o);
  HttpsClientOptions co;
  co.timeout = Millis(300);
  const CheckResult r = client(co)->describeTaskStatus({kRegion, kDone});
  const ApiError e = expectError(r);
  EXPECT_EQ(e.code, "Timeout") << e.message;
  EXPECT_NE(e.message.find("no answer within 300 ms"), std::string::npos) << e.message;
  EXPECT_EQ(e.consequence, ErrorConsequence::RetryLater);
  EXPECT_GE(r.latency_ms, 250);
  EXPECT_LT(r.latency_ms, 3000);
}

TEST_F(HttpsApiClientTest, ServerThatNeverSpeaksTlsTimesOut) {
  // Connections complete in the listen backlog, but nobody ever answers the handshake.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  HttpsClientOptions o;
  o.timeout = Millis(300);
  o.ca_file = certs_->ca_cert;
  HttpsApiClientFactory f({kSecretId, kSecretKey, ""},
                          EndpointResolver::fromFlags("clb", "", "https://127.0.0.1:" + std::to_string(silent.address().port()), {}),
                          o);
  const CheckResult r = f.makeClient()->describeTaskStatus({kRegion, kDone});
  EXPECT_EQ(expectError(r).code, "Timeout");
  EXPECT_NE(r.error().message.find("no TLS handshake within 300 ms"), std::string::npos) << r.error().message;
  EXPECT_LT(r.latency_ms, 3000);
}

TEST_F(HttpsApiClientTest, UntrustedCertificateStopsTheRunAndSaysWhy) {
  startServer();
  HttpsClientOptions o;
  o.ca_file = other_->ca_cert;
  const ApiError e = expectError(client(o)->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(e.code, "Certificate");
  EXPECT_EQ(e.consequence, ErrorConsequence::StopRun);
  EXPECT_NE(e.message.find("not trusted"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find(other_->ca_cert), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("issuer certificate"), std::string::npos) << e.message;
  EXPECT_EQ(server_->stats().requests, 0u);
}

TEST_F(HttpsApiClientTest, ResolveConnectsToTheAddressButSignsSendsAndVerifiesTheRealName) {
  startServer();
  const std::string resolve = kRealHost + ":127.0.0.1:" + std::to_string(server_->port());
  auto c = client({}, {kSecretId, kSecretKey, ""}, EndpointResolver::fromFlags("clb", "regional", "", {resolve}));
  const CheckResult r = c->describeTaskStatus({kRegion, kDone});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r.endpoint_host, kRealHost);
  const mock::MockStats stats = server_->stats();
  ASSERT_EQ(stats.by_key.size(), 1u);
  EXPECT_EQ(stats.by_key[0].host, kRealHost);
  EXPECT_EQ(stats.signature_failures, 0u);
}

TEST_F(HttpsApiClientTest, ResolveToACertificateWithoutThatNameIsRefused) {
  startServer();
  const std::string host = "clb.ap-beijing.tencentcloudapi.com";
  const std::string resolve = host + ":127.0.0.1:" + std::to_string(server_->port());
  auto c = client({}, {kSecretId, kSecretKey, ""}, EndpointResolver::fromFlags("clb", "regional", "", {resolve}));
  const ApiError e = expectError(c->describeTaskStatus({"ap-beijing", kDone}));
  EXPECT_EQ(e.code, "Certificate");
  EXPECT_EQ(e.consequence, ErrorConsequence::StopRun);
  EXPECT_NE(e.message.find("not valid for " + host), std::string::npos) << e.message;
  EXPECT_EQ(server_->stats().requests, 0u);
}

// Records the SNI name of the one handshake it accepts.
std::string g_sni;
int recordSni(SSL* ssl, int*, void*) {
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  g_sni = name ? name : "";
  return SSL_TLSEXT_ERR_OK;
}

TEST_F(HttpsApiClientTest, ResolveSendsTheRealNameAsSni) {
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certs_->server_key, certs_->server_cert, "",
                             Poco::Net::Context::VERIFY_NONE);
  SSL_CTX_set_tlsext_servername_callback(context->sslContext(), &recordSni);
  Poco::Net::SecureServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0), 8, context);
  g_sni.clear();
  std::thread server([&] {
    Poco::Net::SecureStreamSocket s = listener.acceptConnection();
    s.completeHandshake();
    s.close();  // no answer: only the handshake matters here
  });
  const std::string resolve = kRealHost + ":127.0.0.1:" + std::to_string(listener.address().port());
  auto c = client({}, {kSecretId, kSecretKey, ""}, EndpointResolver::fromFlags("clb", "regional", "", {resolve}));
  c->describeTaskStatus({kRegion, kDone});
  server.join();
  EXPECT_EQ(g_sni, kRealHost);
}

TEST_F(HttpsApiClientTest, InvalidRegionIsRefusedWithoutSending) {
  startServer();
  const ApiError e = expectError(client()->describeTaskStatus({"not a region", kDone}));
  EXPECT_EQ(e.code, "InvalidRegion");
  EXPECT_EQ(e.consequence, ErrorConsequence::RejectTask);
  EXPECT_EQ(server_->stats().requests, 0u);
}

// ---- many calls at once on one thread (what `run` uses) ----------------------------------------

TimePoint systemNowPlus(Millis d) { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + d; }

// Waits (until_first) until `n` calls have completed, or 20 s.
std::vector<AsyncTaskStatusApi::Done> collect(AsyncHttpsClient& c, std::size_t n) {
  std::vector<AsyncTaskStatusApi::Done> all;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (all.size() < n && std::chrono::steady_clock::now() < give_up) {
    for (auto& d : c.wait(systemNowPlus(Millis(20'000)), true)) all.push_back(std::move(d));
  }
  return all;
}

TEST_F(HttpsApiClientTest, ManyCallsAtOnceOverlapOnOneThreadAndTheirConnectionsAreReused) {
  MockServerOptions o = serverOptions();
  o.latency = Millis(300);
  startServer(o);
  auto c = asyncClient();
  const std::vector<std::string> ids{kDone, kFailed, kRunning, kDone, kFailed, kRunning};
  for (int round = 0; round < 2; ++round) {
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < ids.size(); ++i) c->start(i, {kRegion, ids[i]});
    auto done = collect(*c, ids.size());
    // Six answers that each take 300 ms arrive together, not one after another (1.8 s).
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1200));
    ASSERT_EQ(done.size(), ids.size());
    for (const auto& d : done) {
      ASSERT_TRUE(d.result.ok()) << d.result.error().code << ": " << d.result.error().message;
      EXPECT_EQ(d.result.answer().status, ids[d.id] == kDone ? 0 : ids[d.id] == kFailed ? 1 : 2) << d.id;
      EXPECT_TRUE(d.result.written_at.has_value());
    }
  }
  // The second round went on the first round's connections.
  EXPECT_EQ(c->connectionsOpened(), ids.size());
  EXPECT_EQ(server_->stats().connections, ids.size());
  EXPECT_EQ(server_->stats().signature_failures, 0u);
}

TEST_F(HttpsApiClientTest, AWaitUntilTheFirstReturnsWithItAndAWaitUntilTheDeadlineSleepsThroughAnswers) {
  startServer();
  auto c = asyncClient();
  c->start(1, {kRegion, kDone});
  auto first = collect(*c, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, 1u);

  c->start(2, {kRegion, kRunning});
  c->start(3, {kRegion, kFailed});
  const auto started = std::chrono::steady_clock::now();
  auto both = c->wait(systemNowPlus(Millis(400)), false);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(350));  // answers did not end it
  EXPECT_EQ(both.size(), 2u);
}

TEST_F(HttpsApiClientTest, WakeEndsAWaitEvenWhenItCameFirst) {
  startServer();
  auto c = asyncClient();
  c->wake();  // before the wait (a signal between two waits): it must not be lost
  auto started = std::chrono::steady_clock::now();
  c->wait(systemNowPlus(Millis(30'000)), false);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));

  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c->wake();
  });
  started = std::chrono::steady_clock::now();
  c->wait(systemNowPlus(Millis(30'000)), false);
  waker.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_F(HttpsApiClientTest, AConnectionIsFreeForItsHostOnceItsAnswerIsIn) {
  startServer();
  auto c = asyncClient();
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_FALSE(c->connectedTo(host));
  c->start(1, {kRegion, kDone});
  EXPECT_FALSE(c->connectedTo(host));  // busy with the call
  ASSERT_EQ(collect(*c, 1).size(), 1u);
  EXPECT_TRUE(c->connectedTo(host));
  EXPECT_FALSE(c->connectedTo("clb.ap-shanghai.tencentcloudapi.com"));
}

TEST_F(HttpsApiClientTest, AnIdleConnectionTheServerClosedIsNotUsedAgain) {
  startServer();
  auto c = asyncClient();
  c->start(1, {kRegion, kRunning});
  ASSERT_EQ(collect(*c, 1).size(), 1u);
  const int port = server_->port();
  server_.reset();
  MockServerOptions o = serverOptions();
  o.port = port;
  startServer(o);
  // Found closed when picked, so the call goes on a new connection and is not an error.
  c->start(2, {kRegion, kRunning});
  auto done = collect(*c, 1);
  ASSERT_EQ(done.size(), 1u);
  ASSERT_TRUE(done[0].result.ok()) << done[0].result.error().code << ": " << done[0].result.error().message;
  EXPECT_EQ(c->connectionsOpened(), 2u);
}

TEST_F(HttpsApiClientTest, UnusableCaFileIsAUsageErrorNamingTheFlag) {
  for (const std::string& path : {dir_->file("missing.pem"), dir_->write("junk.pem", "not a certificate\n")}) {
    HttpsClientOptions o;
    o.ca_file = path;
    try {
      HttpsApiClientFactory f({kSecretId, kSecretKey, ""}, EndpointResolver::fromFlags("clb", "", "", {}), o);
      ADD_FAILURE() << "accepted " << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Usage);
      EXPECT_NE(std::string(e.what()).find("--ca-file " + path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace taskledger::tencent
