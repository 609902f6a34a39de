#include "taskledger/mock/ScenarioGenerator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::mock {
namespace {

GeneratorOptions mixed() {
  GeneratorOptions o;
  o.tasks = 1000;
  o.regions = {"ap-guangzhou", "ap-shanghai", "ap-beijing"};
  o.seed = 11;
  o.mix = parseMix("succeed=0.5,fail=0.1,progress-then-succeed=0.1,stuck=0.1,unknown=0.1,error=0.1");
  o.checks_each = 2;
  o.now = fromUnixSeconds(1780000000);
  return o;
}

TEST(ScenarioGenerator, TheCsvAndTheScenarioDescribeTheSameTasks) {
  Generated g = generateScenario(mixed());
  ASSERT_EQ(g.tasks.size(), 1000u);
  std::istringstream csv(g.csv());
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "request_id,region,operation,resource,submitted_at");
  std::set<std::string> ids;
  std::map<std::string, int> per_region, per_kind;
  std::size_t row = 0;
  while (std::getline(csv, line)) {
    const GeneratedTask& t = g.tasks.at(row++);
    EXPECT_EQ(line, t.request_id + "," + t.region + "," + t.operation + "," + t.resource + "," +
                        formatIsoUtc(t.submitted_at));
    EXPECT_EQ(normalizeRequestId(t.request_id), t.request_id);
    EXPECT_TRUE(isValidRegion(t.region));
    EXPECT_LE(t.submitted_at, fromUnixSeconds(1780000000));
    EXPECT_GT(t.submitted_at, fromUnixSeconds(1780000000 - 601));
    ids.insert(t.request_id);
    ++per_region[t.region];
    ++per_kind[t.kind];
    if (t.kind == "unknown") {
      EXPECT_EQ(g.scenario.tasks.count(t.request_id), 0u);
      EXPECT_EQ(t.expect, "rejected");
      continue;
    }
    const TaskScript& s = g.scenario.tasks.at(t.request_id);
    EXPECT_EQ(s.region, t.region);
    EXPECT_EQ(s.expect, t.expect);
    if (t.kind == "succeed") {
      EXPECT_EQ(s.statuses, (std::vector<int>{2, 0}));
      EXPECT_EQ(t.expect, "succeeded");
    } else if (t.kind == "fail") {
      EXPECT_EQ(s.statuses, (std::vector<int>{2, 1}));
      EXPECT_FALSE(s.message.empty());
      EXPECT_EQ(t.expect, "failed");
    } else if (t.kind == "progress-then-succeed") {
      EXPECT_EQ(s.kind, TaskScript::Kind::AfterDelay);
      EXPECT_EQ(t.expect, "succeeded");
    } else if (t.kind == "stuck") {
      EXPECT_EQ(s.statuses, std::vector<int>{2});
      EXPECT_EQ(t.expect, "in_progress");
    } else {
      EXPECT_EQ(s.error_code, "FailedOperation");
      EXPECT_EQ(t.expect, "pending");  // asked once per run, rejected only after 5 runs' answers
    }
  }
  EXPECT_EQ(row, 1000u);
  EXPECT_EQ(ids.size(), 1000u) << "ids are unique";
  EXPECT_EQ(g.scenario.tasks.size() + g.scenario.unknown_ids.size(), 1000u);
  EXPECT_EQ(per_region["ap-guangzhou"], 334);
  EXPECT_EQ(per_region["ap-beijing"], 333);
  EXPECT_NEAR(per_kind["succeed"], 500, 60);
  EXPECT_NEAR(per_kind["unknown"], 100, 40);
}

TEST(ScenarioGenerator, IsDeterministicForASeed) {
  Generated a = generateScenario(mixed());
  Generated b = generateScenario(mixed());
  EXPECT_EQ(a.csv(), b.csv());
  EXPECT_EQ(a.scenario.toJson(), b.scenario.toJson());
  GeneratorOptions other = mixed();
  other.seed = 12;
  EXPECT_NE(generateScenario(other).tasks[0].request_id, a.tasks[0].request_id);
}

TEST(ScenarioGenerator, RefusesABadMix) {
  EXPECT_THROW(parseMix("succeed=1,vanish=1"), Error);
  EXPECT_THROW(parseMix("succeed=-1"), Error);
  EXPECT_THROW(parseMix("succeed"), Error);
  GeneratorOptions o;
  o.mix = {{"succeed", 0}};
  EXPECT_THROW(generateScenario(o), Error);
  o.mix = {{"succeed", 1}};
  o.checks_each = 0;
  EXPECT_THROW(generateScenario(o), Error);
}

}  // namespace
}  // namespace taskledger::mock
