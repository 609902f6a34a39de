// `taskledger add --from-json` end to end: a call's JSON answer piped into the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <regex>

#include "support/MockEndpointProcess.h"
#include "support/Fixture.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger {
namespace {

using testing::ProcessResult;
using testing::runTaskledger;
using testing::TempDir;

constexpr const char* kId = "55c85074-3e7f-4c6d-864f-673660d4f8de";

// What `tccli clb CreateListener` prints on success.
const std::string kTccliOutput = "{\n    \"ListenerIds\": [\n        \"lbl-qlsdmp7o\"\n    ],\n    \"RequestId\": \"" +
                                 std::string(kId) + "\"\n}\n";

class AddFromJson : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(run({"init"}).exit_code, 0); }

  ProcessResult run(std::vector<std::string> args, const std::string& stdin_data = "",
                    std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"--db", db_});
    testing::ProcessOptions options;
    options.stdin_data = stdin_data;
    options.env = std::move(env);
    options.unset_env = {"TASKLEDGER_DB", "TENCENTCLOUD_REGION"};
    return runTaskledger(args, options);
  }
  std::vector<Task> tasks() {
    store::Database db(db_);
    store::TaskRepository repo(db);
    return repo.findByRequestId(kId);
  }
  std::int64_t taskCount() {
    store::Database db(db_);
    std::int64_t n = 0;
    for (const auto& [state, count] : store::TaskRepository(db).countsByState()) n += count;
    return n;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

TEST_F(AddFromJson, RecordsTheTaskTccliPrinted) {
  ProcessResult r = run({"add", "--from-json", "--region", "ap-guangzhou", "--operation", "CreateListener",
                         "--profile", "prod"},
                        kTccliOutput);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("added ") + kId + " (ap-guangzhou, profile prod)\n");
  auto t = tasks();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].region, "ap-guangzhou");
  EXPECT_EQ(t[0].operation, "CreateListener");
  EXPECT_EQ(t[0].profile, "prod");
  EXPECT_EQ(t[0].resource, "lbl-qlsdmp7o");
  EXPECT_EQ(t[0].source, "add");
  EXPECT_EQ(t[0].state, TaskState::Pending);

  // The same answer again (a re-run script) changes nothing.
  r = run({"add", "--from-json", "--region", "ap-guangzhou", "--profile", "prod"}, kTccliOutput);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("already known: ") + kId + " (ap-guangzhou, profile prod)\n");
  EXPECT_EQ(taskCount(), 1);
}

TEST_F(AddFromJson, TheSdkFormTccliRegionAndAGivenResource) {
  ProcessResult r = run({"add", "--from-json", "--resource", "lb-6efswuxa"},
                        R"({"Response":{"LoadBalancerIds":["lb-other"],"RequestId":")" + std::string(kId) + "\"}}",
                        {{"TENCENTCLOUD_REGION", "ap-shanghai"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto t = tasks();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].region, "ap-shanghai");
  EXPECT_EQ(t[0].resource, "lb-6efswuxa");
  EXPECT_EQ(t[0].profile, "default");
}

// Issue 21: a CreateLoadBalancer's resource is the id its answer names, and a prepaid purchase's
// DealName is kept beside it (DescribeTaskStatus takes either).
TEST_F(AddFromJson, ACreateLoadBalancerAnswerGivesItsNewIdAndItsDealName) {
  const std::string answer = testing::fixture("tccli_CreateLoadBalancer.json");
  ProcessResult r = run({"add", "--from-json", "--region", "ap-guangzhou", "--operation", "CreateLoadBalancer"}, answer);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  store::Database db(db_);
  auto t = store::TaskRepository(db).findByRequestId("5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].resource, "lb-0newlb01");
  EXPECT_EQ(t[0].deal_name, "20230403112200000000001");
  ProcessResult shown = run({"show", "5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"});
  EXPECT_NE(shown.out.find("deal name"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("20230403112200000000001"), std::string::npos) << shown.out;
}

// Issue 21: without --region or TENCENTCLOUD_REGION, the region tccli itself is configured with.
TEST_F(AddFromJson, WithoutARegionTcclisConfiguredOneIsTaken) {
  const std::string home = dir_.file("home");
  std::filesystem::create_directories(home + "/.tccli");
  std::ofstream(home + "/.tccli/prod.configure")
      << "{\n    \"_sys_param\": {\n        \"arrayCount\": 10,\n        \"output\": \"json\",\n"
         "        \"region\": \"ap-chengdu\"\n    }\n}\n";
  ProcessResult r = run({"add", "--from-json", "--profile", "prod"}, kTccliOutput, {{"HOME", home}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("added ") + kId + " (ap-chengdu, profile prod)\n");
  // Another profile has no configure file: a usage error that says where a region can come from.
  ProcessResult none = run({"add", "--from-json", "--profile", "other"}, kTccliOutput, {{"HOME", home}});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("tccli configure set region"), std::string::npos) << none.err;
}

TEST_F(AddFromJson, RefusedAnswersRecordNothingAndSayWhyInOneLine) {
  struct Case {
    std::string input, expected;
  };
  const std::vector<Case> cases = {
      {R"({"Response":{"Error":{"Code":"InvalidParameterValue","Message":"port in use"},"RequestId":")" +
           std::string(kId) + "\"}}",
       "InvalidParameterValue: port in use"},
      {kTccliOutput + kTccliOutput, "not one JSON answer"},
      {"", "no answer"},
      {"[TencentCloudSDKException] code:AuthFailure.SignatureFailure message:x", "not one JSON answer"},
      {R"({"RequestId":"15936031437374_1553056587.6815_v2"})", "not a UUID"},
      {R"({"ListenerIds":["lbl-1"]})", "no RequestId"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    ProcessResult r = run({"add", "--from-json", "--region", "ap-guangzhou"}, c.input);
    EXPECT_EQ(r.exit_code, 65) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("taskledger add: stdin: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
  EXPECT_EQ(taskCount(), 0);
}

TEST_F(AddFromJson, UsageMistakesAreUsageErrors) {
  ProcessResult both = run({"add", kId, "--from-json", "--region", "ap-guangzhou"}, kTccliOutput);
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
  ProcessResult no_region = run({"add", "--from-json"}, kTccliOutput);
  EXPECT_EQ(no_region.exit_code, 2) << no_region.err;
  EXPECT_NE(no_region.err.find("--region"), std::string::npos) << no_region.err;
  EXPECT_EQ(taskCount(), 0);
}

TEST_F(AddFromJson, TheReadmePipeWorksAsWritten) {
  // The README's line, with tccli's output standing in for tccli.
  std::string readme = testing::readFile(std::string(TASKLEDGER_SOURCE_DIR) + "/README.md");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(readme, m, std::regex("\ntccli clb [^\n|]*\\| taskledger (add --from-json[^\n]*)\n")));
  std::string cmd = std::string(TASKLEDGER_BINARY) + " --db '" + db_ + "' " + m[1].str();
  testing::ProcessOptions options;
  options.stdin_data = kTccliOutput;
  ProcessResult r = testing::runProcess({"/bin/sh", "-c", cmd}, options);
  ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  auto t = tasks();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].region, "ap-guangzhou");
  EXPECT_EQ(t[0].operation, "CreateListener");
}

}  // namespace
}  // namespace taskledger
