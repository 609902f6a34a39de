#include "../../src/cli/MetricsFile.h"

#include <gtest/gtest.h>

namespace taskledger::cli {
namespace {

TEST(MetricsFile, LabelValuesCannotEndALineOrALabel) {
  EXPECT_EQ(escapeLabelValue("x\"} 1\nfake_metric{a=\"b\\"), "x\\\"} 1\\nfake_metric{a=\\\"b\\\\");
}

TEST(MetricsFile, EveryLineOfAHostileProfileStaysOneSample) {
  RunMetrics m;
  m.profile = "x\"} 1\nfake_metric{a=\"b";
  m.tasks_by_state[TaskState::Pending] = 3;
  const std::string prom = renderMetrics({m});
  EXPECT_EQ(prom.find("\nfake_metric"), std::string::npos) << prom;
  EXPECT_NE(prom.find("profile=\"x\\\"} 1\\nfake_metric{a=\\\"b\""), std::string::npos) << prom;
}

}  // namespace
}  // namespace taskledger::cli
