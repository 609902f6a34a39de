// The real client against the local endpoint, over real TLS on 127.0.0.1: one call at a time
// through ApiCaller, and many at once through TaskStatusClient's threads.
#include "taskledger/tencent/TaskStatusClient.h"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "support/ConnectProxy.h"
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

// One caller with its endpoints and keys: what the tests ask through.
class Client {
 public:
  Client(HttpsClientOptions o, Credentials creds, EndpointResolver endpoints)
      : caller_(std::move(o)), creds_(std::move(creds)), endpoints_(std::move(endpoints)) {}
  CheckResult describeTaskStatus(const TaskQuery& q) { return tencent::describeTaskStatus(caller_, creds_, endpoints_, q); }
  std::uint64_t connectionsOpened() const { return caller_.connectionsOpened(); }
  ApiCaller& caller() { return caller_; }
  const EndpointResolver& endpoints() const { return endpoints_; }

 private:
  ApiCaller caller_;
  Credentials creds_;
  EndpointResolver endpoints_;
};

class TaskStatusClientTest : public ::testing::Test {
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

  std::unique_ptr<Client> client(HttpsClientOptions o = {}, Credentials creds = {kSecretId, kSecretKey, ""},
                                 std::optional<EndpointResolver> endpoints = std::nullopt) {
    if (o.ca_file.empty()) o.ca_file = certs_->ca_cert;
    if (!endpoints) endpoints = EndpointResolver::fromFlags("clb", "regional", endpointUrl(), {});
    return std::make_unique<Client>(o, creds, *endpoints);
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
};

TEST_F(TaskStatusClientTest, AnswersStatusesWithEveryField) {
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

TEST_F(TaskStatusClientTest, KeepsOneConnectionAlive) {
  startServer();
  auto c = client();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  EXPECT_EQ(c->connectionsOpened(), 1u);
  EXPECT_EQ(server_->stats().connections, 1u);
}

TEST_F(TaskStatusClientTest, FreshConnectionModeConnectsForEveryRequest) {
  startServer();
  HttpsClientOptions o;
  o.keep_alive = false;
  auto c = client(o);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->describeTaskStatus({kRegion, kRunning}).ok());
  EXPECT_EQ(c->connectionsOpened(), 3u);
  EXPECT_EQ(server_->stats().connections, 3u);
}

TEST_F(TaskStatusClientTest, TemporaryCredentialsSendTheToken) {
  MockServerOptions o = serverOptions();
  o.tokens = {{kSecretId, "session-token"}};
  startServer(o);
  EXPECT_TRUE(client({}, {kSecretId, kSecretKey, "session-token"})->describeTaskStatus({kRegion, kDone}).ok());
  EXPECT_EQ(expectError(client()->describeTaskStatus({kRegion, kDone})).code, "AuthFailure.TokenFailure");
}

TEST_F(TaskStatusClientTest, RefusedTasks) {
  startServer();
  auto c = client();
  const ApiError unknown = expectError(c->describeTaskStatus({kRegion, kUnknown}));
  EXPECT_EQ(unknown.code, "InvalidParameter");
  EXPECT_EQ(unknown.consequence, ErrorConsequence::RejectTask);
  EXPECT_FALSE(unknown.api_request_id.empty());

  const ApiError cancelled = expectError(c->describeTaskStatus({kRegion, kCancelled}));
  EXPECT_EQ(cancelled.code, "FailedOperation");
  EXPECT_EQ(cancelled.message, "the task was cancelled");
  EXPECT_EQ(cancelled.consequence, ErrorConsequence::RejectAfterRepeats);  // rejected only after several
}

TEST_F(TaskStatusClientTest, RateLimitedIsRetryLater) {
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

TEST_F(TaskStatusClientTest, InjectedServerFaultsAreRetryLater) {
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

TEST_F(TaskStatusClientTest, WrongSecretStopsTheRun) {
  startServer();
  const ApiError wrong = expectError(client({}, {kSecretId, "not-the-key", ""})->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(wrong.code, "AuthFailure.SignatureFailure");
  EXPECT_EQ(wrong.consequence, ErrorConsequence::RefuseCredentials);

  const ApiError unknown = expectError(client({}, {"AKIDnobody", kSecretKey, ""})->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(unknown.code, "AuthFailure.SecretIdNotFound");
  EXPECT_EQ(unknown.consequence, ErrorConsequence::RefuseCredentials);
}

TEST_F(TaskStatusClientTest, ClockTenMinutesOffIsSignatureExpire) {
  startServer();
  for (const auto skew : {std::chrono::minutes(10), std::chrono::minutes(-10)}) {
    HttpsClientOptions o;
    o.now = [skew] { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now() + skew); };
    const ApiError e = expectError(client(o)->describeTaskStatus({kRegion, kDone}));
    EXPECT_EQ(e.code, "AuthFailure.SignatureExpire");
    // The keys are fine: the run stops (exit 1) and says how far off the clock is.
    EXPECT_EQ(e.consequence, ErrorConsequence::StopRun);
    const std::string way = skew.count() > 0 ? " s ahead of the server's Date" : " s behind the server's Date";
    const auto at = e.message.find(way);
    ASSERT_NE(at, std::string::npos) << e.message;
    const auto from = e.message.rfind(' ', at - 1) + 1;
    const long seconds = std::stol(e.message.substr(from, at - from));
    EXPECT_NEAR(seconds, 600, 2) << e.message;
  }
}

TEST_F(TaskStatusClientTest, BrokenKeptAliveConnectionIsReopenedOnce) {
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

// Nothing listens at the host: its region is parked for the run, not retried until give-up.
TEST_F(TaskStatusClientTest, ConnectionRefusedParksTheRegion) {
  startServer();
  auto c = client();
  server_.reset();
  const ApiError e = expectError(c->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(e.code, "HostUnreachable") << e.message;
  EXPECT_EQ(e.consequence, ErrorConsequence::ParkRegion);
}

TEST_F(TaskStatusClientTest, SlowAnswerTimesOut) {
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
}

TEST_F(TaskStatusClientTest, ServerThatNeverSpeaksTlsTimesOut) {
  // Connections complete in the listen backlog, but nobody ever answers the handshake.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  HttpsClientOptions o;
  o.timeout = Millis(300);
  o.ca_file = certs_->ca_cert;
  Client c(o, {kSecretId, kSecretKey, ""},
           EndpointResolver::fromFlags("clb", "", "https://127.0.0.1:" + std::to_string(silent.address().port()), {}));
  const CheckResult r = c.describeTaskStatus({kRegion, kDone});
  EXPECT_EQ(expectError(r).code, "Timeout");
  EXPECT_NE(r.error().message.find("no TLS handshake within 300 ms"), std::string::npos) << r.error().message;
}

TEST_F(TaskStatusClientTest, UntrustedCertificateStopsTheRunAndSaysWhy) {
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

TEST_F(TaskStatusClientTest, ResolveConnectsToTheAddressButSignsSendsAndVerifiesTheRealName) {
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

TEST_F(TaskStatusClientTest, ResolveToACertificateWithoutThatNameIsRefused) {
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

TEST_F(TaskStatusClientTest, ResolveSendsTheRealNameAsSni) {
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

TEST_F(TaskStatusClientTest, InvalidRegionIsRefusedWithoutSending) {
  startServer();
  const ApiError e = expectError(client()->describeTaskStatus({"not a region", kDone}));
  EXPECT_EQ(e.code, "InvalidRegion");
  EXPECT_EQ(e.consequence, ErrorConsequence::RejectTask);
  EXPECT_EQ(server_->stats().requests, 0u);
}

// ---- answers only a raw server gives: interim answers, chunks, a drip ----------------------------

// A TLS server on 127.0.0.1 for one connection at a time, whose answer is the test's `script`
// (given the accepted socket, after the request has been read).
class RawTlsServer {
 public:
  using Script = std::function<void(Poco::Net::SecureStreamSocket&)>;
  RawTlsServer(const mock::TestCertificates& certs, Script script)
      : context_(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certs.server_key, certs.server_cert, "",
                                        Poco::Net::Context::VERIFY_NONE)),
        listener_(Poco::Net::SocketAddress("127.0.0.1", 0), 8, context_) {
    thread_ = std::thread([this, script] {
      while (!stopping_) {
        if (!listener_.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
        try {
          Poco::Net::SecureStreamSocket s = listener_.acceptConnection();
          char buf[4096];
          s.receiveBytes(buf, sizeof buf);  // the request (its head, at least)
          script(s);
        } catch (const Poco::Exception&) {
          // the client went away: what the test wanted to see, or its end
        }
      }
    });
  }
  ~RawTlsServer() {
    stopping_ = true;
    thread_.join();
  }
  int port() const { return listener_.address().port(); }
  static void send(Poco::Net::SecureStreamSocket& s, const std::string& bytes) {
    s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  }
  std::atomic<bool> stopping_{false};

 private:
  Poco::Net::Context::Ptr context_;
  Poco::Net::SecureServerSocket listener_;
  std::thread thread_;
};

// The real host name, connected to 127.0.0.1:port.
EndpointResolver resolvedTo(int port) {
  return EndpointResolver::fromFlags("clb", "", "", {kRealHost + ":127.0.0.1:" + std::to_string(port)});
}

const std::string kAnswerBody = R"({"Response":{"Status":0,"Message":null,"LoadBalancerIds":["lb-1"],"RequestId":"req-raw"}})";

TEST_F(TaskStatusClientTest, AnInterimContinueIsSkipped) {
  RawTlsServer raw(*certs_, [](Poco::Net::SecureStreamSocket& s) {
    RawTlsServer::send(s, "HTTP/1.1 100 Continue\r\n\r\n");
    RawTlsServer::send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(kAnswerBody.size()) + "\r\n\r\n" + kAnswerBody);
  });
  const CheckResult r = client({}, {kSecretId, kSecretKey, ""}, resolvedTo(raw.port()))->describeTaskStatus({kRegion, kDone});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r.answer().status, 0);
  EXPECT_EQ(r.answer().api_request_id, "req-raw");
}

TEST_F(TaskStatusClientTest, AChunkedAnswerIsReadWhole) {
  RawTlsServer raw(*certs_, [](Poco::Net::SecureStreamSocket& s) {
    std::string chunked = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t i = 0; i < kAnswerBody.size(); i += 7) {
      const std::string piece = kAnswerBody.substr(i, 7);
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      chunked += size + piece + "\r\n";
    }
    RawTlsServer::send(s, chunked + "0\r\n\r\n");
  });
  const CheckResult r = client({}, {kSecretId, kSecretKey, ""}, resolvedTo(raw.port()))->describeTaskStatus({kRegion, kDone});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r.answer().load_balancer_ids, std::vector<std::string>{"lb-1"});
}

// A server that sends a byte a second resets every read timeout: only the caller's abort (its
// total deadline, or a signal) ends the call, whatever it is waiting for.
TEST_F(TaskStatusClientTest, AbortEndsACallThatTheServerKeepsAlive) {
  std::promise<void> dripping;
  RawTlsServer raw(*certs_, [&](Poco::Net::SecureStreamSocket& s) {
    RawTlsServer::send(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{");
    dripping.set_value();
    while (!raw.stopping_) {
      RawTlsServer::send(s, " ");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  HttpsClientOptions o;
  o.ca_file = certs_->ca_cert;
  o.timeout = Millis(200);  // each read: far longer than the drip's gaps
  ApiCaller caller(o);
  StaticCredentialProvider keys({kSecretId, kSecretKey, ""});
  TaskStatusClient api(caller, keys,
                       resolvedTo(raw.port()), 2);
  api.start({7, {kRegion, kDone}, {}});
  dripping.get_future().wait();
  api.abort(7, "no answer within 10000 ms (--timeout)");
  std::vector<TaskStatusApi::Done> done;
  while (done.empty()) done = api.wait(TimePoint::max());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].id, 7u);
  const ApiError e = expectError(done[0].result);
  EXPECT_EQ(e.code, "Timeout");
  EXPECT_NE(e.message.find("no answer within 10000 ms (--timeout)"), std::string::npos) << e.message;
}

TEST_F(TaskStatusClientTest, AbortReachesAHandshakeThatNeverEnds) {
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  HttpsClientOptions o;
  o.ca_file = certs_->ca_cert;
  o.timeout = Millis(600'000);
  ApiCaller caller(o);
  StaticCredentialProvider keys({kSecretId, kSecretKey, ""});
  TaskStatusClient api(caller, keys,
                       EndpointResolver::fromFlags("clb", "", "https://127.0.0.1:" + std::to_string(silent.address().port()), {}), 2);
  api.start({1, {kRegion, kDone}, {}});
  Poco::Net::StreamSocket accepted = silent.acceptConnection();  // the TCP connect is done
  api.abort(1, "stopped by a signal");
  std::vector<TaskStatusApi::Done> done;
  while (done.empty()) done = api.wait(TimePoint::max());
  EXPECT_EQ(expectError(done[0].result).code, "Timeout");
  EXPECT_NE(done[0].result.error().message.find("stopped by a signal"), std::string::npos);
}

// ---- many calls at once, on the client's threads (what `run` uses) ------------------------------

std::vector<TaskStatusApi::Done> collect(TaskStatusApi& api, std::size_t n) {
  std::vector<TaskStatusApi::Done> all;
  while (all.size() < n) {
    for (auto& d : api.wait(TimePoint::max())) all.push_back(std::move(d));
  }
  return all;
}

TEST_F(TaskStatusClientTest, ManyCallsAtOnceOverlapAndTheirConnectionsAreReused) {
  MockServerOptions o = serverOptions();
  o.latency = Millis(300);
  startServer(o);
  auto c = client();
  StaticCredentialProvider keys({kSecretId, kSecretKey, ""});
  TaskStatusClient api(c->caller(), keys, c->endpoints(), 6);
  const std::vector<std::string> ids{kDone, kFailed, kRunning, kDone, kFailed, kRunning};
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < ids.size(); ++i) api.start({i, {kRegion, ids[i]}, {}});
    auto done = collect(api, ids.size());
    ASSERT_EQ(done.size(), ids.size());
    for (const auto& d : done) {
      ASSERT_TRUE(d.result.ok()) << d.result.error().code << ": " << d.result.error().message;
      EXPECT_EQ(d.result.answer().status, ids[d.id] == kDone ? 0 : ids[d.id] == kFailed ? 1 : 2) << d.id;
      EXPECT_TRUE(d.result.written_at.has_value());
    }
    // Six calls in flight at once, each on its own connection; the second round reuses them.
    EXPECT_EQ(c->connectionsOpened(), ids.size());
  }
  EXPECT_EQ(server_->stats().connections, ids.size());
  EXPECT_EQ(server_->stats().signature_failures, 0u);
}

TEST_F(TaskStatusClientTest, TheWriteWaitsForItsAdmission) {
  startServer();
  auto c = client();
  const TimePoint not_before = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + Millis(300);
  // Holds the write until not_before, and records what the caller tells it.
  struct Gate final : WriteGate {
    TimePoint not_before;
    std::vector<TimePoint> asked, done;
    explicit Gate(TimePoint t) : not_before(t) {}
    TimePoint admit(TimePoint now) override {
      asked.push_back(now);
      return std::max(now, not_before);
    }
    void written(TimePoint now) override { done.push_back(now); }
  } gate(not_before);
  const CheckResult r = describeTaskStatus(c->caller(), {kSecretId, kSecretKey, ""}, c->endpoints(), {kRegion, kDone},
                                           nullptr, &gate);
  ASSERT_TRUE(r.ok());
  // Asked once before the slot, and again after the sleep, which goes.
  ASSERT_EQ(gate.asked.size(), 2u);
  EXPECT_LT(gate.asked[0], not_before);
  EXPECT_GE(gate.asked[1], not_before);
  ASSERT_TRUE(r.written_at.has_value());
  EXPECT_GE(*r.written_at, not_before);
  // Told once that the write was done, no earlier than it went.
  ASSERT_EQ(gate.done.size(), 1u);
  EXPECT_GE(gate.done[0], *r.written_at);
}

TEST_F(TaskStatusClientTest, WakeEndsAWaitEvenWhenItCameFirst) {
  startServer();
  auto c = client();
  StaticCredentialProvider keys({kSecretId, kSecretKey, ""});
  TaskStatusClient api(c->caller(), keys, c->endpoints(), 2);
  api.wake();  // before the wait (a signal between two waits): it must not be lost
  EXPECT_TRUE(api.wait(TimePoint::max()).empty());
  std::thread waker([&] { api.wake(); });
  EXPECT_TRUE(api.wait(TimePoint::max()).empty());
  waker.join();
}

TEST_F(TaskStatusClientTest, TheKeysAreAskedForEveryRequest) {
  startServer();
  auto c = client();
  class CountingProvider final : public CredentialProvider {
   public:
    Credentials current() override {
      ++asked;
      return {kSecretId, kSecretKey, ""};
    }
    std::string identity() const override { return kSecretId; }
    std::atomic<int> asked{0};
  } keys;
  TaskStatusClient api(c->caller(), keys, c->endpoints(), 2);
  for (TaskStatusApi::CallId i = 0; i < 3; ++i) api.start({i, {kRegion, kDone}, {}});
  for (const auto& d : collect(api, 3)) EXPECT_TRUE(d.result.ok());
  EXPECT_EQ(keys.asked.load(), 3);
}

// ---- proxies (CONNECT) -----------------------------------------------------------------------------

// A client of the real host name (on the endpoint's port) through `proxy`, which connects to
// 127.0.0.1 whatever the name it is asked for.
std::unique_ptr<Client> clientThroughProxy(const std::string& user_pass, const testing::ConnectProxy& proxy,
                                           const std::string& ca_file, int port) {
  HttpsClientOptions o;
  o.ca_file = ca_file;
  o.proxy = parseProxyUrl("http://" + user_pass + "@127.0.0.1:" + std::to_string(proxy.port()), "--proxy");
  return std::make_unique<Client>(
      o, Credentials{kSecretId, kSecretKey, ""},
      EndpointResolver::fromFlags("clb", "", "https://" + kRealHost + ":" + std::to_string(port), {}));
}

TEST_F(TaskStatusClientTest, AProxyTunnelsToTheRealNameWithItsCredentials) {
  startServer();
  testing::ConnectProxy proxy("alice:s3cret-proxy-pass");
  auto c = clientThroughProxy("alice:s3cret-proxy-pass", proxy, certs_->ca_cert, server_->port());
  for (int i = 0; i < 2; ++i) {
    const CheckResult r = c->describeTaskStatus({kRegion, kDone});
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  }
  EXPECT_EQ(proxy.targets(), std::vector<std::string>{kRealHost + ":" + std::to_string(server_->port())});
  EXPECT_EQ(proxy.authorizations(), std::vector<std::string>{"alice:s3cret-proxy-pass"});
  EXPECT_EQ(server_->stats().signature_failures, 0u);
}

// A 407 is refused credentials (exit 77), not a network error to retry.
TEST_F(TaskStatusClientTest, AProxyThatRefusesItsCredentialsSaysSoWithoutThePassword) {
  startServer();
  testing::ConnectProxy proxy("alice:right");
  auto c = clientThroughProxy("alice:wrong-secret", proxy, certs_->ca_cert, server_->port());
  const ApiError e = expectError(c->describeTaskStatus({kRegion, kDone}));
  EXPECT_EQ(e.code, "ProxyAuthRequired");
  EXPECT_EQ(e.consequence, ErrorConsequence::RefuseCredentials);
  EXPECT_NE(e.message.find("the proxy http://alice:***@127.0.0.1:" + std::to_string(proxy.port()) +
                           " refused the credentials (HTTP 407"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(e.message.find("wrong-secret"), std::string::npos) << e.message;
  EXPECT_EQ(server_->stats().requests, 0u);
}

TEST_F(TaskStatusClientTest, HostsListedInNoProxyGoDirect) {
  startServer();
  testing::ConnectProxy proxy;
  HttpsClientOptions o;
  o.proxy = parseProxyUrl("127.0.0.1:" + std::to_string(proxy.port()), "--proxy");
  o.proxy->no_proxy = {"127.0.0.1"};
  auto c = client(o);
  ASSERT_TRUE(c->describeTaskStatus({kRegion, kDone}).ok());
  EXPECT_TRUE(proxy.targets().empty());
}

TEST_F(TaskStatusClientTest, UnusableCaFileIsAUsageErrorNamingTheFlag) {
  for (const std::string& path : {dir_->file("missing.pem"), dir_->write("junk.pem", "not a certificate\n")}) {
    HttpsClientOptions o;
    o.ca_file = path;
    try {
      ApiCaller caller(o);
      ADD_FAILURE() << "accepted " << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Usage);
      EXPECT_NE(std::string(e.what()).find("--ca-file " + path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace taskledger::tencent
