// `taskledger discover` against the local endpoint's CloudAudit over TLS: exactly the tasks the
// generated events stand for, with who made them; a second run adds nothing; events not yet
// visible are not found; refused credentials exit 77; --proxy and HTTPS_PROXY/NO_PROXY work as
// for run.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <fstream>
#include <set>
#include <tuple>

#include "support/ConnectProxy.h"
#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/AuditEventGenerator.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::runTaskledger;
using testing::TempDir;

using Row = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string,
                       std::string>;

class DiscoverEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    mock::GeneratorOptions o;
    o.tasks = 150;
    o.regions = {"ap-guangzhou", "ap-shanghai", "ap-shanghai-fsi"};
    o.mix = {{"succeed", 0.6}, {"fail", 0.2}, {"unknown", 0.2}};
    o.seed = 11;
    o.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    events_ = mock::generateAuditEvents(mock::generateScenario(o), {150, 11});
    std::ofstream(dir_.file("events.json")) << events_.json;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  }

  void serve(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--events", dir_.file("events.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    mock_ = std::make_unique<MockEndpointProcess>(dir_, std::vector<std::string>{}, args);
  }

  testing::ProcessResult discover(std::vector<std::string> extra = {},
                                  std::map<std::string, std::string> env_override = {}) {
    std::vector<std::string> args{"discover", "--db", db_};
    auto flags = mock_->discoverFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), extra.begin(), extra.end());
    auto env = mock_->credentialsEnv();
    for (const auto& [k, v] : env_override) env[k] = v;
    return runTaskledger(args, testing::withEnv(env));
  }

  std::set<Row> ledger() {
    SQLite::Database db(db_);
    SQLite::Statement q(db, "SELECT request_id, region, operation, resource, actor, source_ip, source, submitted_at"
                            " FROM tasks");
    std::set<Row> rows;
    while (q.executeStep()) {
      rows.insert({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                   q.getColumn(6).getString(), q.getColumn(7).getString()});
    }
    return rows;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  mock::GeneratedEvents events_;
  std::unique_ptr<MockEndpointProcess> mock_;
};

TEST_F(DiscoverEndToEnd, FindsExactlyTheExpectedTasksAndASecondRunAddsNothing) {
  serve();
  std::set<Row> expected;
  for (const auto& e : events_.expected) {
    expected.insert({e.request_id, e.region, e.operation, e.resource, e.actor, e.source_ip, "cloudaudit",
                     formatIsoUtc(fromUnixSeconds(e.event_time))});
  }
  ASSERT_GT(expected.size(), 50u);

  auto first = discover();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("discovered " + std::to_string(expected.size()) + " new tasks (0 already known) from "),
            std::string::npos)
      << first.out;
  EXPECT_EQ(ledger(), expected);

  auto second = discover({"--since", "24h"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("discovered 0 new tasks (" + std::to_string(expected.size()) + " already known)"),
            std::string::npos)
      << second.out;
  EXPECT_EQ(ledger(), expected);

  const std::string stats = mock_->stop();
  EXPECT_EQ(testing::jsonNumber(stats, "signature_failures"), 0) << stats;
  EXPECT_EQ(testing::jsonNumber(stats, "rate_limited"), 0) << stats;
}

TEST_F(DiscoverEndToEnd, EventsNotYetVisibleAreNotFound) {
  serve({"--audit-delay", "1h"});  // every generated event is from the last 10 minutes
  auto r = discover();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("discovered 0 new tasks (0 already known) from 0 events"), std::string::npos) << r.out;
  EXPECT_TRUE(ledger().empty());
}

TEST_F(DiscoverEndToEnd, RefusedCredentialsExit77WithoutTheSecret) {
  serve();
  auto r = discover({}, {{"TENCENTCLOUD_SECRET_KEY", "not-the-key"}});
  EXPECT_EQ(r.exit_code, 77) << r.err;
  EXPECT_NE(r.err.find("AuthFailure"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(MockEndpointProcess::kSecretKey), std::string::npos);
  EXPECT_TRUE(ledger().empty());
}

// Every page goes through the CONNECT tunnel, with the proxy's credentials, and finds the same tasks.
TEST_F(DiscoverEndToEnd, ProxyFlagTunnelsEveryCallThroughTheProxy) {
  serve();
  testing::ConnectProxy proxy("carol:proxy-s3cret");
  auto r = discover({"--proxy", "http://carol:proxy-s3cret@127.0.0.1:" + std::to_string(proxy.port())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("discovered " + std::to_string(ledger().size()) + " new tasks"), std::string::npos) << r.out;
  EXPECT_GT(ledger().size(), 50u);
  const std::vector<std::string> targets = proxy.targets();
  ASSERT_FALSE(targets.empty());
  for (const auto& t : targets) EXPECT_EQ(t, "127.0.0.1:" + std::to_string(mock_->port()));
  for (const auto& a : proxy.authorizations()) EXPECT_EQ(a, "carol:proxy-s3cret");
  EXPECT_EQ(r.out.find("proxy-s3cret"), std::string::npos);
  EXPECT_EQ(r.err.find("proxy-s3cret"), std::string::npos);
}

TEST_F(DiscoverEndToEnd, HttpsProxyFromTheEnvironmentIsUsedUnlessNoProxyNamesTheHost) {
  serve();
  testing::ConnectProxy proxy;
  const std::string url = "http://127.0.0.1:" + std::to_string(proxy.port());
  auto bypassed = discover({}, {{"HTTPS_PROXY", url}, {"NO_PROXY", "tencentcloudapi.com"}});
  ASSERT_EQ(bypassed.exit_code, 0) << bypassed.err;
  EXPECT_TRUE(proxy.targets().empty());

  auto tunnelled = discover({"--since", "24h"}, {{"HTTPS_PROXY", url}});
  ASSERT_EQ(tunnelled.exit_code, 0) << tunnelled.err;
  EXPECT_NE(tunnelled.out.find("discovered 0 new tasks (" + std::to_string(ledger().size()) + " already known)"),
            std::string::npos)
      << tunnelled.out;
  EXPECT_FALSE(proxy.targets().empty());
}

}  // namespace
}  // namespace taskledger
