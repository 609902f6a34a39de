// Injected faults: seeded and repeatable, and never advancing a task's scripted history.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "mock/MockTestSupport.h"
#include "taskledger/domain/Error.h"
#include "taskledger/mock/FaultPlan.h"

namespace taskledger::mock {
namespace {

using testing::TestClient;

TEST(FaultPlan, ParsesEveryFaultAndRejectsNonsense) {
  FaultPlan p = FaultPlan::parse("http500=0.05,internal=0.04,drop=0.03,slow=0.02,truncated=0.01,"
                                 "ratelimit-burst=0.005,slow-for=2s,burst-for=500ms");
  EXPECT_DOUBLE_EQ(p.http500, 0.05);
  EXPECT_DOUBLE_EQ(p.internal, 0.04);
  EXPECT_DOUBLE_EQ(p.drop, 0.03);
  EXPECT_DOUBLE_EQ(p.slow, 0.02);
  EXPECT_DOUBLE_EQ(p.truncated, 0.01);
  EXPECT_DOUBLE_EQ(p.ratelimit_burst, 0.005);
  EXPECT_EQ(p.slow_for, Millis(2000));
  EXPECT_EQ(p.burst_for, Millis(500));
  EXPECT_THROW(FaultPlan::parse("http500=2"), Error);
  EXPECT_THROW(FaultPlan::parse("gremlins=0.1"), Error);
  EXPECT_THROW(FaultPlan::parse("drop"), Error);
  EXPECT_THROW(FaultPlan::parse("drop=0.6,http500=0.6"), Error);
  EXPECT_FALSE(FaultPlan::parse("").any());
}

TEST(FaultPlan, DrawsArePureFunctionsOfSeedTaskAndIndexWithTheGivenRates) {
  FaultPlan p = FaultPlan::parse("http500=0.1,drop=0.1,truncated=0.2");
  std::map<Fault, int> counts;
  int differs = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) {
    std::string id = "task-" + std::to_string(k % 100);
    Fault f = p.pick(7, id, k);
    EXPECT_EQ(f, p.pick(7, id, k));
    differs += f != p.pick(8, id, k);
    ++counts[f];
  }
  EXPECT_NEAR(counts[Fault::Http500] / 20000.0, 0.1, 0.015);
  EXPECT_NEAR(counts[Fault::Drop] / 20000.0, 0.1, 0.015);
  EXPECT_NEAR(counts[Fault::Truncated] / 20000.0, 0.2, 0.02);
  EXPECT_NEAR(counts[Fault::None] / 20000.0, 0.6, 0.02);
  EXPECT_EQ(counts[Fault::Slow], 0);
  EXPECT_GT(differs, 2000) << "another seed gives other faults";
}

class FaultInjectionTest : public testing::MockServerSuite {
 protected:
  // A started server answering status 0 for every id, with these faults.
  static std::unique_ptr<MockServer> startServer(const std::string& faults) {
    MockServerOptions o = baseOptions();
    o.faults = FaultPlan::parse(faults);
    o.scenario.default_task = everyId({0});
    auto server = std::make_unique<MockServer>(o);
    server->start();
    return server;
  }

  // Asks about each of `tasks` `rounds` times, round-robin, and returns what the client saw.
  std::vector<std::string> play(std::uint64_t seed, const std::vector<std::string>& tasks, int rounds,
                                MockStats* stats = nullptr,
                                const std::string& faults =
                                    "http500=0.1,internal=0.1,drop=0.1,slow=0.1,truncated=0.1,slow-for=20ms") {
    MockServerOptions o = baseOptions();
    o.seed = seed;
    o.faults = FaultPlan::parse(faults);
    for (const auto& id : tasks) {
      TaskScript t;
      t.statuses = {2, 2, 1};
      o.scenario.tasks[id] = t;
    }
    MockServer server(o);
    server.start();
    TestClient client(server.port(), certs_.ca_cert);
    std::vector<std::string> seen;
    for (int r = 0; r < rounds; ++r) {
      for (const auto& id : tasks) seen.push_back(id + " " + client.call(id).seen());
    }
    if (stats) *stats = server.stats();
    return seen;
  }
};

TEST_F(FaultInjectionTest, TheSameSeedGivesTheSameFaultsAndAnotherSeedOthers) {
  const std::vector<std::string> tasks{"a1", "b2", "c3", "d4"};
  MockStats stats;
  auto first = play(42, tasks, 10, &stats);
  EXPECT_EQ(first, play(42, tasks, 10));
  EXPECT_NE(first, play(43, tasks, 10));
  // Every kind of fault was delivered as such.
  EXPECT_GT(stats.outcomes["fault:http500"], 0u);
  EXPECT_GT(stats.outcomes["fault:internal"], 0u);
  EXPECT_GT(stats.outcomes["fault:drop"], 0u);
  EXPECT_GT(stats.outcomes["fault:slow"], 0u);
  EXPECT_GT(stats.outcomes["fault:truncated"], 0u);
  std::map<std::string, int> seen_kinds;
  for (const auto& s : first) ++seen_kinds[s.substr(s.find(' ') + 1)];
  EXPECT_EQ(seen_kinds["http:500"], static_cast<int>(stats.outcomes["fault:http500"]));
  EXPECT_EQ(seen_kinds["transport"], static_cast<int>(stats.outcomes["fault:drop"]));
  EXPECT_EQ(seen_kinds["unparseable"], static_cast<int>(stats.outcomes["fault:truncated"]));
  EXPECT_EQ(seen_kinds["InternalError"], static_cast<int>(stats.outcomes["fault:internal"]));
}

TEST_F(FaultInjectionTest, FaultedAnswersDoNotAdvanceTheHistory) {
  const std::vector<std::string> tasks{"e5", "f6", "g7", "h8", "i9"};
  MockStats stats;
  // No slow faults here: a slow answer shows the next status without consuming it, so to the
  // client it looks like a real answer given twice.
  auto seen = play(5, tasks, 12, &stats, "http500=0.15,internal=0.15,drop=0.15,truncated=0.15");
  // Per task, the real answers follow the script 2, 2, 1, 1, ... exactly, however many faults
  // came between them.
  std::map<std::string, std::vector<std::string>> statuses;
  for (const auto& s : seen) {
    auto space = s.find(' ');
    std::string what = s.substr(space + 1);
    if (what.rfind("status:", 0) == 0) statuses[s.substr(0, space)].push_back(what);
  }
  for (const auto& id : tasks) {
    const auto& got = statuses[id];
    ASSERT_GE(got.size(), 3u) << id;
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], i < 2 ? "status:2" : "status:1") << id << " #" << i;
  }
  EXPECT_GT(stats.outcomes["fault:drop"] + stats.outcomes["fault:http500"], 0u);
}

TEST_F(FaultInjectionTest, ARateLimitBurstRefusesTheHostForItsDuration) {
  auto server = startServer("ratelimit-burst=1,burst-for=10s");
  TestClient client(server->port(), certs_.ca_cert);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.call("x" + std::to_string(i)).code(), "RequestLimitExceeded");
  EXPECT_EQ(server->stats().rate_limited, 3u);
}

TEST_F(FaultInjectionTest, AClientGivingUpOnASlowAnswerLeavesTheServerServing) {
  auto server = startServer("slow=1,slow-for=300ms");
  {
    TestClient impatient(server->port(), certs_.ca_cert, std::chrono::milliseconds(100));
    EXPECT_EQ(impatient.call("slow-1").seen(), "transport");
  }  // closes its connection while the server still waits to answer
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the server writes to the closed peer
  TestClient patient(server->port(), certs_.ca_cert);
  EXPECT_EQ(patient.call("slow-2").seen(), "status:0");
  EXPECT_EQ(server->stats().outcomes["fault:slow"], 2u);
}

}  // namespace
}  // namespace taskledger::mock
