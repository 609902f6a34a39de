#include "taskledger/mock/Scenario.h"

#include <gtest/gtest.h>

#include <chrono>

#include "taskledger/domain/Error.h"
#include "taskledger/mock/ScenarioGenerator.h"

namespace taskledger::mock {
namespace {

TEST(Scenario, ParsesEachFormOfHistory) {
  Scenario s = Scenario::parse(R"({
    "tasks": [
      {"task_id": "a", "region": "ap-guangzhou", "statuses": [2, 2, 0], "load_balancer_ids": ["lb-1"],
       "message": "ok", "expect": "succeeded"},
      {"task_id": "b", "status": 1, "after_ms": 3000, "message": "port in use"},
      {"task_id": "c", "region": "ap-beijing", "error": "FailedOperation", "message": "gone"}
    ],
    "unknown_ids": ["d"],
    "default": {"statuses": [0]}
  })");
  ASSERT_EQ(s.tasks.size(), 3u);
  const TaskScript& a = s.tasks.at("a");
  EXPECT_EQ(a.kind, TaskScript::Kind::Sequence);
  EXPECT_EQ(a.region, "ap-guangzhou");
  EXPECT_EQ(a.statusAt(0, Millis(0)), 2);
  EXPECT_EQ(a.statusAt(2, Millis(0)), 0);
  EXPECT_EQ(a.statusAt(99, Millis(0)), 0) << "the last status repeats";
  EXPECT_EQ(a.load_balancer_ids, std::vector<std::string>{"lb-1"});
  EXPECT_EQ(a.expect, "succeeded");
  const TaskScript& b = s.tasks.at("b");
  EXPECT_EQ(b.kind, TaskScript::Kind::AfterDelay);
  EXPECT_EQ(b.statusAt(5, Millis(2999)), 2);
  EXPECT_EQ(b.statusAt(0, Millis(3000)), 1);
  EXPECT_TRUE(b.region.empty());
  const TaskScript& c = s.tasks.at("c");
  EXPECT_EQ(c.kind, TaskScript::Kind::FixedError);
  EXPECT_EQ(c.error_code, "FailedOperation");
  EXPECT_EQ(c.message, "gone");
  ASSERT_TRUE(s.default_task.has_value());
  EXPECT_EQ(s.default_task->statuses, std::vector<int>{0});
  EXPECT_EQ(s.unknown_ids, std::vector<std::string>{"d"});
}

TEST(Scenario, RefusesMalformedEntriesNamingThem) {
  auto message = [](const std::string& json) {
    try {
      Scenario::parse(json, "s.json");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::BadInput);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("{").find("s.json: not valid JSON"), std::string::npos);
  EXPECT_NE(message("[]").find("top level"), std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"statuses":[0]}]})").find("tasks[0]"), std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x","statuses":[3]}]})").find("0, 1 or 2"), std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x","statuses":[]}]})").find("empty"), std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x"}]})").find("exactly one"), std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x","statuses":[0],"error":"E"}]})").find("exactly one"),
            std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x","statuses":[0]},{"task_id":"x","statuses":[1]}]})").find("twice"),
            std::string::npos);
  EXPECT_NE(message(R"({"tasks":[{"task_id":"x","after_ms":5}]})").find("status"), std::string::npos);
}

TEST(Scenario, RoundTripsThroughJson) {
  GeneratorOptions o;
  o.tasks = 200;
  o.regions = {"ap-guangzhou", "ap-shanghai"};
  o.mix = {{"succeed", 1}, {"fail", 1}, {"progress-then-succeed", 1}, {"stuck", 1}, {"error", 1}, {"unknown", 1}};
  o.checks_each = 3;
  Scenario s = generateScenario(o).scenario;
  s.default_task = TaskScript{};
  Scenario back = Scenario::parse(s.toJson());
  ASSERT_EQ(back.tasks.size(), s.tasks.size());
  for (const auto& [id, t] : s.tasks) {
    const TaskScript& u = back.tasks.at(id);
    EXPECT_EQ(u.kind, t.kind);
    EXPECT_EQ(u.region, t.region);
    EXPECT_EQ(u.statuses, t.statuses);
    EXPECT_EQ(u.status, t.status);
    EXPECT_EQ(u.after, t.after);
    EXPECT_EQ(u.error_code, t.error_code);
    EXPECT_EQ(u.message, t.message);
    EXPECT_EQ(u.load_balancer_ids, t.load_balancer_ids);
    EXPECT_EQ(u.expect, t.expect);
  }
  EXPECT_TRUE(back.default_task.has_value());
  EXPECT_EQ(back.unknown_ids, s.unknown_ids);
}

TEST(Scenario, LoadsTwentyThousandTasksQuickly) {
  GeneratorOptions o;
  o.tasks = 20000;
  o.mix = {{"succeed", 1}, {"fail", 1}};
  std::string json = generateScenario(o).scenario.toJson();
  auto began = std::chrono::steady_clock::now();
  Scenario s = Scenario::parse(json);
  auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(s.tasks.size(), 20000u);
  EXPECT_LT(took, std::chrono::seconds(3)) << "a bench's scenario must not delay the endpoint's start";
}

}  // namespace
}  // namespace taskledger::mock
