// `taskledger report --notify` end to end: the real binary posts to a robot on 127.0.0.1 reached
// with --resolve and --ca-file, which checks the payload and recomputes the signature.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <fstream>

#include "report/TestLedger.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/WebhookReceiver.h"

namespace taskledger {
namespace {

using testing::LedgerTask;
using testing::ProcessResult;

const std::vector<std::string> kHosts = {"qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn",
                                         "hooks.slack.com", "alerts.example.net"};
constexpr const char* kWeComKey = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa";
constexpr const char* kSecret = "SEC0123456789abcdef";

std::string hmacBase64(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &size);
  unsigned char out[128];
  const int n = EVP_EncodeBlock(out, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

class ReportNotifyTest : public ::testing::Test {
 protected:
  ReportNotifyTest() : db_(dir_.file("ledger.db")), receiver_(dir_.file("certs"), kHosts) {
    store::Database db(db_);
    testing::insertRun(db, "2024-05-10T00:00:00Z", "2024-05-10T23:00:00Z");
    testing::insertTask(db, LedgerTask(1, "2024-05-10T08:00:00.000Z").state("failed").message("backend busy")
                                .resolvedAt("2024-05-10T08:01:00.000Z"));
    testing::insertTask(db, LedgerTask(2, "2024-05-10T09:00:00.000Z").state("failed").message("backend busy")
                                .resolvedAt("2024-05-10T09:01:00.000Z"));
    testing::insertTask(db, LedgerTask(3, "2024-05-10T10:00:00.000Z").state("in_progress").attempts(2));
    testing::insertTask(db, LedgerTask(4, "2024-05-10T11:00:00.000Z"));
  }

  ProcessResult report(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"report", "--db", db_, "--day", "2024-05-10", "--utc", "--ca-file", receiver_.caFile()});
    for (const auto& host : kHosts) args.push_back("--resolve=" + host + ":127.0.0.1:" + std::to_string(receiver_.port()));
    env["TZ"] = "UTC";
    return testing::runTaskledger(args, testing::withEnv(env, {"TASKLEDGER_NOTIFY", "TASKLEDGER_NOTIFY_SECRET", "HTTPS_PROXY", "https_proxy"}));
  }

  static std::string wecomUrl() { return std::string("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=") + kWeComKey; }

  static void expectNoSecret(const ProcessResult& r) {
    for (const std::string& secret : {std::string(kWeComKey), std::string(kSecret)}) {
      EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
      EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
    }
  }

  testing::TempDir dir_;
  std::string db_;
  testing::WebhookReceiver receiver_;
};

TEST_F(ReportNotifyTest, WeComGetsTheHeadlineAndTopReasonsAsMarkdown) {
  auto r = report({"--notify", wecomUrl(), "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto posts = receiver_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].uri, std::string("/cgi-bin/webhook/send?key=") + kWeComKey);
  EXPECT_EQ(posts[0].host, "qyapi.weixin.qq.com");
  const auto body = parse(posts[0].body);
  EXPECT_EQ(body->getValue<std::string>("msgtype"), "markdown");
  const std::string content = body->getObject("markdown")->getValue<std::string>("content");
  EXPECT_NE(content.find("2 failed (+2), 1 stuck (+1), 0 rejected"), std::string::npos) << content;
  EXPECT_NE(content.find("- 2 failed: backend busy (ap-guangzhou; RegisterTargets)"), std::string::npos) << content;
  EXPECT_NE(r.err.find("delivered to WeCom robot at qyapi.weixin.qq.com"), std::string::npos) << r.err;
  expectNoSecret(r);
}

TEST_F(ReportNotifyTest, ARefusingRobotExitsOneNamingItsCodeAndTheOutputIsWrittenAllTheSame) {
  receiver_.answer(200, R"({"errcode":93000,"errmsg":"invalid webhook url, hint: [1733x]"})");
  const std::string output = dir_.file("report.txt");
  auto r = report({"--notify", wecomUrl(), "--output", output});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("WeCom robot at qyapi.weixin.qq.com refused the message: errcode 93000: invalid webhook url"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(std::filesystem::exists(output));
  EXPECT_GT(std::filesystem::file_size(output), 0u);
  expectNoSecret(r);
}

TEST_F(ReportNotifyTest, DingTalkIsSignedWithTheSecretFromTheEnvironment) {
  receiver_.answer(200, R"({"errcode":0,"errmsg":"ok"})");
  auto r = report({"--notify", "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123"},
                  {{"TASKLEDGER_NOTIFY_SECRET", kSecret}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto posts = receiver_.posts();
  ASSERT_EQ(posts.size(), 1u);
  const Poco::URI uri(posts[0].uri);
  std::map<std::string, std::string> query;
  for (const auto& [k, v] : uri.getQueryParameters()) query[k] = v;
  ASSERT_TRUE(query.count("timestamp") && query.count("sign")) << posts[0].uri;
  EXPECT_EQ(query["sign"], hmacBase64(kSecret, query["timestamp"] + "\n" + kSecret));
  EXPECT_EQ(parse(posts[0].body)->getValue<std::string>("msgtype"), "markdown");
  expectNoSecret(r);
}

TEST_F(ReportNotifyTest, FeishuIsSignedInTheBodyFromTheConfigFile) {
  receiver_.answer(200, R"({"code":0,"msg":"success","data":{}})");
  const std::string ini = dir_.file("taskledger.ini");
  std::ofstream(ini) << "[report]\nnotify = https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef\n"
                     << "notify-secret = " << kSecret << "\n";
  auto r = report({"--config", ini});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto posts = receiver_.posts();
  ASSERT_EQ(posts.size(), 1u);
  const auto body = parse(posts[0].body);
  const std::string ts = body->getValue<std::string>("timestamp");
  EXPECT_EQ(body->getValue<std::string>("sign"), hmacBase64(ts + "\n" + kSecret, ""));
  EXPECT_NE(body->getObject("content")->getValue<std::string>("text").find("2 failed"), std::string::npos);
  expectNoSecret(r);
}

TEST_F(ReportNotifyTest, SlackAndPlainJsonFromTheEnvironmentEachGetTheirPost) {
  receiver_.answer(200, "ok");
  auto r = report({}, {{"TASKLEDGER_NOTIFY", "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXX "
                                             "https://alerts.example.net/hook"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto posts = receiver_.posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_NE(parse(posts[0].body)->getValue<std::string>("text").find("2 failed"), std::string::npos);
  const auto headline = parse(posts[1].body)->getObject("headline");
  EXPECT_EQ(headline->getValue<int>("failed"), 2);
  EXPECT_EQ(headline->getValue<int>("stuck"), 1);
}

TEST_F(ReportNotifyTest, SlackRefusingIsExitOneWithItsStatusAndWord) {
  receiver_.answer(404, "no_service");
  auto r = report({"--notify", "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXX"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Slack robot at hooks.slack.com refused the message: HTTP 404: no_service"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("XXXXXXXXXXXX"), std::string::npos) << r.err;
}

TEST_F(ReportNotifyTest, AnUnreachableRobotIsExitOneWithinTheTimeoutAndNamesNoKey) {
  auto r = testing::runTaskledger({"report", "--db", db_, "--day", "2024-05-10", "--notify", wecomUrl(), "--ca-file",
                                   receiver_.caFile(), "--resolve", "qyapi.weixin.qq.com:127.0.0.1:1",
                                   "--notify-timeout", "5s"},
                                  testing::withEnv({}, {"TASKLEDGER_NOTIFY", "HTTPS_PROXY", "https_proxy"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("WeCom robot at qyapi.weixin.qq.com: not delivered"), std::string::npos) << r.err;
  expectNoSecret(r);
}

TEST_F(ReportNotifyTest, ARobotThatNeverAnswersEndsAtTheNotifyTimeoutWithExitOne) {
  receiver_.hold(true);
  const std::string output = dir_.file("report.html");
  auto r = report({"--notify", wecomUrl(), "--notify-timeout", "1s", "--format", "html", "--output", output});
  receiver_.hold(false);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("WeCom robot at qyapi.weixin.qq.com: not delivered: Timeout: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no answer within 1000 ms (--notify-timeout)"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(output));
  expectNoSecret(r);
}

}  // namespace
}  // namespace taskledger
