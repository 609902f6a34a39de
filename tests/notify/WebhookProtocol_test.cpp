// Each chat platform's message and signature as its documentation gives them, recomputed here
// with OpenSSL directly rather than through the code under test.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "taskledger/notify/ChatMessage.h"
#include "taskledger/notify/Notifier.h"
#include "taskledger/notify/WebhookProtocol.h"

namespace taskledger::notify {
namespace {

std::string hmacBase64(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &size);
  unsigned char out[128];
  const int n = EVP_EncodeBlock(out, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

report::Summary summaryWithReasons(int reasons, std::size_t message_bytes) {
  report::Summary s;
  s.utc = true;
  s.window = {*parseIsoTimestamp("2026-03-10T00:00:00Z"), *parseIsoTimestamp("2026-03-11T00:00:00Z")};
  s.generated_at = *parseIsoTimestamp("2026-03-10T18:00:00Z");
  s.totals.add(report::TaskClass::Succeeded, 40);
  s.totals.add(report::TaskClass::Stuck, 2);
  for (int i = 0; i < reasons; ++i) {
    report::ReasonGroup g;
    g.count = reasons - i;
    g.message = "reason " + std::to_string(i) + " " + std::string(message_bytes, 'x');
    g.regions = {"ap-guangzhou"};
    g.operations = {"CreateListener"};
    s.failure_reasons.push_back(g);
    s.totals.add(report::TaskClass::Failed, g.count);
  }
  return s;
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

const TimePoint kNow = *parseIsoTimestamp("2026-03-10T18:00:00.123Z");

TEST(WebhookProtocol, ThePlatformIsToldByTheHost) {
  EXPECT_EQ(platformOf("qyapi.weixin.qq.com"), Platform::WeCom);
  EXPECT_EQ(platformOf("oapi.dingtalk.com"), Platform::DingTalk);
  EXPECT_EQ(platformOf("open.feishu.cn"), Platform::Feishu);
  EXPECT_EQ(platformOf("open.larksuite.com"), Platform::Feishu);
  EXPECT_EQ(platformOf("hooks.slack.com"), Platform::Slack);
  EXPECT_EQ(platformOf("alerts.example.net"), Platform::Json);
}

TEST(WebhookProtocol, WeComGetsMarkdownCutAtALineEndWithin4096Bytes) {
  const auto s = summaryWithReasons(10, 390);  // ten reasons of ~450 bytes: more than 4096
  const auto post = webhookPost(Platform::WeCom, "/cgi-bin/webhook/send?key=k", s, "", kNow);
  const auto body = parse(post.body);
  EXPECT_EQ(body->getValue<std::string>("msgtype"), "markdown");
  const std::string content = body->getObject("markdown")->getValue<std::string>("content");
  EXPECT_LE(content.size(), kWeComMaxBytes);
  EXPECT_EQ(content.back(), '\n') << "cut inside a line";
  EXPECT_NE(content.find("more reasons in the report"), std::string::npos) << content;
  EXPECT_NE(content.find("8 failed: reason 2"), std::string::npos) << content;
}

TEST(WebhookProtocol, TheHeadlineCountsWhatNeedsAPerson) {
  auto s = summaryWithReasons(1, 10);
  s.totals.add(report::TaskClass::Rejected, 3);
  s.never_checked_total = 4;
  s.parked_regions.push_back({"default", "ap-beijing", "UnsupportedRegion", "", {}, {}, 1, 4});
  s.parked_regions.push_back({"default", "ap-beijing", "InvalidParameter.RegionNotFound", "", {}, {}, 1, 4});
  EXPECT_EQ(headlineText(s), "1 failed, 2 stuck, 3 rejected, 4 never checked, 1 parked region (of 46 tasks)");
}

TEST(WebhookProtocol, TheHeadlineTellsEachChangeAgainstTheWindowBefore) {
  auto s = summaryWithReasons(1, 10);  // 1 failed, 2 stuck
  report::HeadlineBefore before;
  before.window = {*parseIsoTimestamp("2026-03-09T00:00:00Z"), *parseIsoTimestamp("2026-03-09T18:00:00Z")};
  before.counts.failed = 4;
  before.counts.stuck = 2;
  before.counts.rejected = 1;
  s.before = before;
  EXPECT_EQ(headlineText(s),
            "1 failed (-3), 2 stuck, 0 rejected (-1), 0 never checked, 0 parked regions (of 43 tasks; changes against "
            "the same span of the previous window)");
  const auto body = parse(webhookPost(Platform::Json, "/hook", s, "", kNow).body);
  const auto previous = body->getObject("previous");
  EXPECT_EQ(previous->getValue<int>("failed"), 4);
  EXPECT_EQ(previous->getObject("window")->getValue<std::string>("until"), "2026-03-09T18:00:00.000Z");
}

TEST(WebhookProtocol, AQuietDaySaysSoInOneLine) {
  report::Summary s = summaryWithReasons(0, 0);
  s.totals = {};
  s.totals.add(report::TaskClass::Succeeded, 12);
  EXPECT_EQ(headlineText(s), "nothing needs attention (12 tasks)");
}

TEST(WebhookProtocol, DingTalkIsSignedInTheQueryAsDocumented) {
  const auto post = webhookPost(Platform::DingTalk, "/robot/send?access_token=abc", summaryWithReasons(1, 10), "SECabc", kNow);
  const std::string ts = "1773165600123";
  ASSERT_EQ(post.target.rfind("/robot/send?access_token=abc&timestamp=" + ts + "&sign=", 0), 0u) << post.target;
  const std::string sign = post.target.substr(post.target.find("&sign=") + 6);
  std::string expected;
  for (char c : hmacBase64("SECabc", ts + "\nSECabc")) {
    if (c == '+') expected += "%2B";
    else if (c == '/') expected += "%2F";
    else if (c == '=') expected += "%3D";
    else expected += c;
  }
  EXPECT_EQ(sign, expected);
  EXPECT_EQ(parse(post.body)->getValue<std::string>("msgtype"), "markdown");
}

TEST(WebhookProtocol, FeishuIsSignedInTheBodyAsDocumented) {
  const auto post = webhookPost(Platform::Feishu, "/open-apis/bot/v2/hook/x", summaryWithReasons(1, 10), "SECf", kNow);
  const auto body = parse(post.body);
  EXPECT_EQ(body->getValue<std::string>("timestamp"), "1773165600");
  EXPECT_EQ(body->getValue<std::string>("sign"), hmacBase64("1773165600\nSECf", ""));
  EXPECT_EQ(body->getValue<std::string>("msg_type"), "text");
  EXPECT_NE(body->getObject("content")->getValue<std::string>("text").find("1 failed"), std::string::npos);
}

TEST(WebhookProtocol, WithoutASecretNothingIsSigned) {
  const auto ding = webhookPost(Platform::DingTalk, "/robot/send?access_token=abc", summaryWithReasons(1, 10), "", kNow);
  EXPECT_EQ(ding.target, "/robot/send?access_token=abc");
  const auto feishu = webhookPost(Platform::Feishu, "/hook/x", summaryWithReasons(1, 10), "", kNow);
  EXPECT_FALSE(parse(feishu.body)->has("sign"));
}

TEST(WebhookProtocol, OtherHostsGetTheHeadlineAsPlainJson) {
  const auto post = webhookPost(Platform::Json, "/hook", summaryWithReasons(2, 10), "", kNow);
  const auto body = parse(post.body);
  const auto counts = body->getObject("headline");
  EXPECT_EQ(counts->getValue<int>("failed"), 3);
  EXPECT_EQ(counts->getValue<int>("stuck"), 2);
  EXPECT_EQ(counts->getValue<int>("never_checked"), 0);
  EXPECT_EQ(body->getArray("reasons")->size(), 2u);
}

TEST(WebhookProtocol, RefusalsNameThePlatformsCodeAndMessage) {
  EXPECT_FALSE(refusal(Platform::WeCom, 200, R"({"errcode":0,"errmsg":"ok"})"));
  EXPECT_EQ(refusal(Platform::WeCom, 200, R"({"errcode":93000,"errmsg":"invalid webhook url"})").value_or(""),
            "errcode 93000: invalid webhook url");
  EXPECT_EQ(refusal(Platform::DingTalk, 200, R"({"errcode":310000,"errmsg":"sign not match"})").value_or(""),
            "errcode 310000: sign not match");
  EXPECT_FALSE(refusal(Platform::Feishu, 200, R"({"code":0,"msg":"success","data":{}})"));
  EXPECT_EQ(refusal(Platform::Feishu, 200, R"({"code":19021,"msg":"sign match fail"})").value_or(""),
            "code 19021: sign match fail");
  EXPECT_FALSE(refusal(Platform::Slack, 200, "ok"));
  EXPECT_EQ(refusal(Platform::Slack, 404, "no_service").value_or(""), "HTTP 404: no_service");
  EXPECT_EQ(refusal(Platform::Json, 500, "down").value_or(""), "HTTP 500: down");
  // A message with a terminal escape is shown escaped, and bounded.
  const auto hostile = refusal(Platform::WeCom, 200, R"({"errcode":1,"errmsg":"\u001b[2J)" + std::string(5000, 'a') + "\"}");
  ASSERT_TRUE(hostile);
  EXPECT_EQ(hostile->find('\x1b'), std::string::npos);
  EXPECT_LT(hostile->size(), 700u);
}

TEST(Webhook, TheUrlsKeysAreSecretsAndNeverInItsName) {
  const Webhook wecom = parseWebhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa");
  EXPECT_EQ(wecom.platform, Platform::WeCom);
  EXPECT_EQ(wecom.name(), "WeCom robot at qyapi.weixin.qq.com");
  EXPECT_EQ(redacted("failed for key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", wecom.secrets), "failed for key=***");
  const Webhook slack = parseWebhook("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX");
  EXPECT_EQ(redacted("/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", slack.secrets), "/services/***/***/***");
}

TEST(Webhook, OnlyHttpsIsPostedToAndTheErrorDoesNotRepeatTheUrl) {
  try {
    parseWebhook("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY");
    FAIL() << "plain http accepted";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()).find("SECRETKEY"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace taskledger::notify
