// The local endpoint over real TLS, spoken to with Poco and the product's signer.
#include "taskledger/mock/MockServer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "mock/MockTestSupport.h"
#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

using testing::ApiReply;
using testing::CallOptions;
using testing::kTestCredentials;
using testing::TestClient;

const std::string kTask = "55c85074-3e7f-4c6d-864f-673660d4f8de";
const std::string kOtherTask = "0b9a4f5e-1f7c-4f44-9a0e-2f2f7d1c6a10";

class MockServerTest : public testing::MockServerSuite {
 protected:
  // The Guangzhou task kTask answers 2, 2, then 0 with a Message and LoadBalancerIds.
  MockServerOptions options() {
    MockServerOptions o = baseOptions();
    o.rate = 20;
    TaskScript t;
    t.region = "ap-guangzhou";
    t.statuses = {2, 2, 0};
    t.message = "done";
    t.load_balancer_ids = {"lb-6efswuxa"};
    o.scenario.tasks[kTask] = t;
    return o;
  }

  // Starts a server with `o` and a client connected to it.
  void start(MockServerOptions o) {
    server_ = std::make_unique<MockServer>(std::move(o));
    server_->start();
    client_ = std::make_unique<TestClient>(server_->port(), certs_.ca_cert);
  }

  std::unique_ptr<MockServer> server_;
  std::unique_ptr<TestClient> client_;
};

TEST_F(MockServerTest, GoodSignatureIsAnsweredFromTheScenarioAndHistoryAdvances) {
  start(options());
  std::vector<std::string> seen;
  std::set<std::string> request_ids;
  for (int i = 0; i < 4; ++i) {
    ApiReply r = client_->call(kTask);
    ASSERT_EQ(r.http, 200) << r.transport_error;
    seen.push_back(r.seen());
    request_ids.insert(r.requestId());
    EXPECT_EQ(r.requestId().size(), 36u);
    if (r.status() == 0) {
      EXPECT_EQ(r.response->getValue<std::string>("Message"), "done");
      EXPECT_EQ(r.response->getArray("LoadBalancerIds")->getElement<std::string>(0), "lb-6efswuxa");
    } else {
      EXPECT_TRUE(r.response->isNull("Message"));
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"status:2", "status:2", "status:0", "status:0"}));
  EXPECT_EQ(request_ids.size(), 4u) << "a fresh RequestId on every answer";
  MockStats s = server_->stats();
  EXPECT_EQ(s.requests, 4u);
  EXPECT_EQ(s.outcomes["status:2"], 2u);
  EXPECT_EQ(s.outcomes["status:0"], 2u);
  EXPECT_EQ(s.signature_failures, 0u);
  EXPECT_EQ(s.connections, 1u) << "all four on one kept-alive connection";
}

TEST_F(MockServerTest, TheNewestSignedHeadersFormIsAccepted) {
  start(options());
  CallOptions o;
  o.sign_action = true;
  EXPECT_EQ(client_->call(kTask, o).seen(), "status:2");
}

TEST_F(MockServerTest, EachBadRequestGetsTheRealErrorCodeAndConsumesNothing) {
  struct Case {
    const char* what;
    void (*spoil)(CallOptions&);
    const char* code;
  };
  const Case cases[] = {
      {"wrong secret key", [](CallOptions& o) { o.creds.secret_key = "not-the-key"; }, "AuthFailure.SignatureFailure"},
      {"unknown SecretId", [](CallOptions& o) { o.creds.secret_id = "AKIDnobody"; }, "AuthFailure.SecretIdNotFound"},
      {"clock 301 s behind", [](CallOptions& o) { o.clock_offset_seconds = -301; }, "AuthFailure.SignatureExpire"},
      {"clock 301 s ahead", [](CallOptions& o) { o.clock_offset_seconds = 301; }, "AuthFailure.SignatureExpire"},
      {"another action", [](CallOptions& o) { o.api.action = "DescribeLoadBalancers"; }, "InvalidAction"},
      {"another version", [](CallOptions& o) { o.api.version = "2017-03-12"; }, "NoSuchVersion"},
      {"scope of another service", [](CallOptions& o) { o.api.service = "cvm"; }, "AuthFailure.SignatureFailure"},
      {"another region", [](CallOptions& o) { o.region = "ap-shanghai"; }, "InvalidParameter"},
      {"no TaskId", [](CallOptions& o) { o.body = "{\"DealName\":\"x\"}"; }, "MissingParameter"},
      {"body not JSON", [](CallOptions& o) { o.body = "TaskId=x"; }, "InvalidParameter"},
  };
  start(options());
  std::set<std::string> request_ids;
  for (const Case& c : cases) {
    CallOptions o;
    c.spoil(o);
    ApiReply r = client_->call(kTask, o);
    EXPECT_EQ(r.http, 200) << c.what;
    EXPECT_EQ(r.code(), c.code) << c.what;
    request_ids.insert(r.requestId());
  }
  EXPECT_EQ(request_ids.size(), std::size(cases)) << "a fresh RequestId on every answer";
  EXPECT_EQ(server_->stats().signature_failures, 5u);
  EXPECT_EQ(client_->call(kTask).seen(), "status:2") << "a refused check does not consume history";
  CallOptions almost_late;
  almost_late.clock_offset_seconds = -250;
  EXPECT_EQ(client_->call(kTask, almost_late).seen(), "status:2");
}

TEST_F(MockServerTest, AServerClockTenMinutesAheadRefusesAnHonestClient) {
  MockServerOptions o = options();
  o.clock_skew = std::chrono::minutes(10);
  start(o);
  EXPECT_EQ(client_->call(kTask).code(), "AuthFailure.SignatureExpire");
}

TEST_F(MockServerTest, ABodyOtherThanTheSignedOneIsASignatureFailure) {
  start(options());
  tencent::SignInput in;
  in.host = testing::kGuangzhouHost;
  in.region = "ap-guangzhou";
  in.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
  in.payload = "{\"TaskId\":\"" + kTask + "\"}";
  auto sig = tencent::sign(kTestCredentials, testing::kDescribeTaskStatus, in);
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : sig.headers) request.set(name, value);
  std::string other = "{\"TaskId\":\"" + kOtherTask + "\"}";
  request.setContentLength(static_cast<std::streamsize>(other.size()));
  EXPECT_EQ(client_->send(request, other).code(), "AuthFailure.SignatureFailure");
}

TEST_F(MockServerTest, AnUnknownIdIsInvalidParameterAndARegionlessCheckIsAnswered) {
  start(options());
  EXPECT_EQ(client_->call(kOtherTask).code(), "InvalidParameter");
  CallOptions no_region;
  no_region.region = "";
  EXPECT_EQ(client_->call(kTask, no_region).seen(), "status:2");
}

TEST_F(MockServerTest, ADefaultScriptAnswersEveryUnknownIdWithItsOwnHistory) {
  MockServerOptions o = options();
  o.scenario.default_task = everyId({2, 0});
  start(o);
  EXPECT_EQ(client_->call(kOtherTask).seen(), "status:2");
  EXPECT_EQ(client_->call("11111111-2222-4333-8444-555555555555").seen(), "status:2");
  EXPECT_EQ(client_->call(kOtherTask).seen(), "status:0");
}

TEST_F(MockServerTest, AFixedErrorAndADelayedStatusAreScripted) {
  MockServerOptions o = options();
  TaskScript err;
  err.kind = TaskScript::Kind::FixedError;
  err.error_code = "FailedOperation";
  o.scenario.tasks[kOtherTask] = err;
  TaskScript later;
  later.kind = TaskScript::Kind::AfterDelay;
  later.status = 1;
  later.after = Millis(200);
  const std::string later_id = "22222222-3333-4444-8555-666666666666";
  o.scenario.tasks[later_id] = later;
  start(o);
  EXPECT_EQ(client_->call(kOtherTask).code(), "FailedOperation");
  EXPECT_EQ(client_->call(later_id).seen(), "status:2");
  std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the script is in real time
  EXPECT_EQ(client_->call(later_id).seen(), "status:1");
}

TEST_F(MockServerTest, TheRateWindowAcceptsExactlyRateImmediateRequestsPerHost) {
  MockServerOptions o = options();
  o.rate = 5;
  o.scenario.default_task = everyId({2});
  start(o);
  int accepted = 0, limited = 0;
  for (int i = 0; i < 10; ++i) {
    std::string seen = client_->call(kTask).seen();
    accepted += seen.rfind("status:", 0) == 0;
    limited += seen == "RequestLimitExceeded";
  }
  EXPECT_EQ(accepted, 5);
  EXPECT_EQ(limited, 5);
  // Another host is another budget, as Tencent counts per access host.
  CallOptions shanghai;
  shanghai.host = "clb.ap-shanghai.tencentcloudapi.com";
  shanghai.region = "";
  EXPECT_EQ(client_->call(kOtherTask, shanghai).seen(), "status:2");
  MockStats s = server_->stats();
  EXPECT_EQ(s.rate_limited, 5u);
  EXPECT_EQ(s.max_arrivals_1s, 11);
  ASSERT_EQ(s.by_key.size(), 2u);
  const KeyStats& gz = s.by_key[0];
  EXPECT_EQ(gz.host, testing::kGuangzhouHost);
  EXPECT_EQ(gz.secret_id, kTestCredentials.secret_id);
  EXPECT_EQ(gz.max_arrivals_1s, 10);
  EXPECT_EQ(gz.max_accepted_1s, 5);
  EXPECT_EQ(gz.rate_limited, 5u);
  EXPECT_EQ(s.maxArrivalsPerKey(), 10);
}

TEST_F(MockServerTest, ConcurrentAnswersWithLatencyAreNotSerialised) {
  MockServerOptions o = options();
  o.rate = 0;
  o.latency = Millis(150);
  o.scenario.default_task = everyId({0});
  start(o);
  constexpr int kClients = 60;
  std::vector<std::string> seen(kClients);
  auto began = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      TestClient c(server_->port(), certs_.ca_cert);
      seen[static_cast<std::size_t>(i)] = c.call(kOtherTask).seen();
    });
  }
  for (auto& t : threads) t.join();
  auto took = std::chrono::steady_clock::now() - began;
  for (const auto& s : seen) EXPECT_EQ(s, "status:0");
  // Serialised, 60 answers at 150 ms would take 9 s.
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(server_->stats().max_arrivals_1s, kClients);
}

TEST_F(MockServerTest, AdminPathServesStatsAndStopWritesThemAndTheAnswerLog) {
  MockServerOptions o = options();
  o.stats_file = dir_->file("stats.json");
  o.log_file = dir_->file("answers.log");
  start(o);
  std::set<std::string> request_ids;
  for (int i = 0; i < 3; ++i) request_ids.insert(client_->call(kTask).requestId());
  request_ids.insert(client_->call(kOtherTask).requestId());
  ApiReply admin = client_->get("/__admin/stats");
  ASSERT_EQ(admin.http, 200);
  MockStats served = MockStats::fromJson(admin.body);
  EXPECT_EQ(served.requests, 4u);
  EXPECT_EQ(served.outcomes["InvalidParameter"], 1u);
  server_->stop();

  std::ifstream stats_in(o.stats_file);
  std::stringstream stats_text;
  stats_text << stats_in.rdbuf();
  MockStats written = MockStats::fromJson(stats_text.str());
  EXPECT_EQ(written.requests, 4u);
  EXPECT_EQ(written.outcomes, served.outcomes);

  std::ifstream log_in(o.log_file);
  std::string line;
  std::set<std::string> logged;
  int lines = 0;
  while (std::getline(log_in, line)) {
    ++lines;
    std::vector<std::string> f;
    std::stringstream ls(line);
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    ASSERT_EQ(f.size(), 5u) << line;
    EXPECT_EQ(f[0].back(), 'Z');
    logged.insert(f[1]);
    EXPECT_EQ(f[4], testing::kGuangzhouHost);
  }
  EXPECT_EQ(lines, 4);
  EXPECT_EQ(logged, request_ids);
}

TEST_F(MockServerTest, StopReturnsPromptlyWhileAnswersWaitOnLatency) {
  MockServerOptions o = options();
  o.latency = std::chrono::seconds(30);
  start(o);
  std::thread caller([&] { client_->call(kTask); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the request arrive
  auto began = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5));
  caller.join();
}

TEST_F(MockServerTest, AMissingCertificateIsAUsageError) {
  MockServerOptions o = options();
  o.cert_file = dir_->file("nope.pem");
  try {
    MockServer s(o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("nope.pem"), std::string::npos);
  }
}

}  // namespace
}  // namespace taskledger::mock
