#include "taskledger/import/TccliAnswer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "taskledger/domain/Error.h"

namespace taskledger::import {
namespace {

constexpr const char* kId = "55c85074-3e7f-4c6d-864f-673660d4f8de";

TccliAnswer parse(const std::string& json) { return parseTccliAnswer(json, "stdin"); }

// The one line a refused answer gives, or "" when it is accepted.
std::string refusal(const std::string& json) {
  try {
    parse(json);
    return "";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::BadInput) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    return e.what();
  }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(TccliAnswer, ReadsTccliUnwrappedOutput) {
  // What `tccli clb CreateListener` prints: indented, without the Response envelope.
  auto a = parse("{\n    \"ListenerIds\": [\n        \"lbl-qlsdmp7o\"\n    ],\n    \"RequestId\": \"" +
                 std::string(kId) + "\"\n}\n");
  EXPECT_EQ(a.request_id, kId);
  EXPECT_EQ(a.resource, "lbl-qlsdmp7o");
}

TEST(TccliAnswer, ReadsTheSdkWrappedForm) {
  auto a = parse(R"({"Response": {"RequestId": "55C85074-3E7F-4C6D-864F-673660D4F8DE"}})");
  EXPECT_EQ(a.request_id, kId);  // stored lower-case, as everywhere in the ledger
  EXPECT_EQ(a.resource, "");
}

TEST(TccliAnswer, TheLoadBalancerWinsOverOtherIdsWhateverTheKeyOrder) {
  EXPECT_EQ(parse(R"({"ListenerIds": ["lbl-1"], "LoadBalancerId": "lb-2", "RequestId": ")" + std::string(kId) + "\"}")
                .resource,
            "lb-2");
  EXPECT_EQ(parse(R"({"LocationIds": ["loc-1"], "LoadBalancerIds": ["lb-3", "lb-4"], "RequestId": ")" +
                  std::string(kId) + "\"}")
                .resource,
            "lb-3");
  // Otherwise the first ...Ids array in the answer's own order, not in alphabetical order.
  EXPECT_EQ(parse(R"({"LocationIds": ["loc-1"], "ListenerIds": ["lbl-1"], "RequestId": ")" + std::string(kId) + "\"}")
                .resource,
            "loc-1");
  // Empty arrays and non-strings name nothing.
  EXPECT_EQ(parse(R"({"LoadBalancerIds": [], "ListenerIds": [7], "DealName": "x", "RequestId": ")" + std::string(kId) +
                  "\"}")
                .resource,
            "");
}

TEST(TccliAnswer, AnErrorAnswerIsRefusedWithItsCodeAndMessage) {
  std::string why = refusal(R"({"Response": {"Error": {"Code": "InvalidParameterValue.Port",
      "Message": "port 80 is\nin use"}, "RequestId": ")" + std::string(kId) + "\"}}");
  EXPECT_TRUE(contains(why, "InvalidParameterValue.Port")) << why;
  EXPECT_TRUE(contains(why, "port 80 is?in use")) << why;  // one line, whatever the message holds
  // The unwrapped form of an error, as some scripts print it.
  why = refusal(R"({"Error": {"Code": "AuthFailure"}, "RequestId": ")" + std::string(kId) + "\"}");
  EXPECT_TRUE(contains(why, "AuthFailure")) << why;
  EXPECT_TRUE(contains(refusal(R"({"Response": {"Error": "boom", "RequestId": ")" + std::string(kId) + "\"}}"),
                       "the call failed"));
}

TEST(TccliAnswer, SeveralIdsAreRefused) {
  const std::string one = R"({"RequestId": ")" + std::string(kId) + "\"}";
  // Two answers in a row: a loop of tccli calls piped into one add.
  EXPECT_TRUE(contains(refusal(one + "\n" + one), "not one JSON answer")) << refusal(one + one);
  EXPECT_TRUE(contains(refusal("[" + one + "," + one + "]"), "not a JSON object"));
  // Poco would keep the second of two equal keys without a word.
  EXPECT_TRUE(contains(refusal(R"({"RequestId": "0b7c2f4e-9a1d-4e8b-b5c3-2d6f8a9e1c04", "RequestId": ")" +
                               std::string(kId) + "\"}"),
                       "'RequestId' appears twice"));
  EXPECT_TRUE(contains(refusal(R"({"RequestId": ")" + std::string(kId) + R"(", "Response": )" + one + "}"),
                       "several ids"));
}

TEST(TccliAnswer, AMissingOrMalformedRequestIdIsRefused) {
  EXPECT_TRUE(contains(refusal(R"({"ListenerIds": ["lbl-1"]})"), "no RequestId"));
  EXPECT_TRUE(contains(refusal(R"({"Response": {}})"), "no RequestId"));
  EXPECT_TRUE(contains(refusal(R"({"RequestId": 55})"), "not a string"));
  EXPECT_TRUE(contains(refusal(R"({"RequestId": null})"), "not a string"));
  // An API 2.0 id, as CloudAudit shows them: not a task DescribeTaskStatus knows.
  EXPECT_TRUE(contains(refusal(R"({"RequestId": "15936031437374_1553056587.6815_v2"})"),
                       "'15936031437374_1553056587.6815_v2' is not a UUID"));
  EXPECT_TRUE(contains(refusal(R"({"RequestId": " 55c85074-3e7f-4c6d-864f-673660d4f8de"})"), "not a UUID"));
  EXPECT_TRUE(contains(refusal(R"({"Response": "55c85074-3e7f-4c6d-864f-673660d4f8de"})"), "Response is not an object"));
}

TEST(TccliAnswer, WhatIsNotJsonIsRefusedInOneLine) {
  EXPECT_TRUE(contains(refusal(""), "no answer"));
  EXPECT_TRUE(contains(refusal(" \n\t\n"), "no answer"));
  // What a failed tccli call prints, had it gone to stdout.
  EXPECT_TRUE(contains(refusal("[TencentCloudSDKException] code:AuthFailure message:x requestId:" + std::string(kId)),
                       "not one JSON answer"));
  EXPECT_TRUE(contains(refusal("{\"RequestId\": \"" + std::string(kId) + "\""), "not one JSON answer"));
  EXPECT_TRUE(contains(refusal("{'RequestId': 'x'}"), "not one JSON answer"));
  EXPECT_TRUE(contains(refusal("\"" + std::string(kId) + "\""), "not a JSON object"));
  EXPECT_TRUE(contains(refusal("null"), "not a JSON object"));
  EXPECT_TRUE(contains(refusal("RequestId: " + std::string(kId)), "not a JSON object"));
  // A lone surrogate escape becomes U+FFFD (issue 20: one bad field, not an unreadable answer),
  // which is no request id; a raw control character in a string is not JSON.
  const std::string lone = refusal(R"({"RequestId": "\ud800"})");
  EXPECT_FALSE(contains(lone, "not one JSON answer")) << lone;
  EXPECT_TRUE(contains(lone, "RequestId")) << lone;
  EXPECT_TRUE(contains(refusal("{\"RequestId\": \"a\x01\"}"), "not one JSON answer"));
  // Bytes of the input that reach the message are made printable.
  std::string why = refusal("{\"RequestId\": \xff\xfe}");
  EXPECT_TRUE(contains(why, "not one JSON answer")) << why;
  EXPECT_FALSE(contains(why, "\xff")) << why;
}

TEST(TccliAnswer, AByteOrderMarkAndSurroundingBlanksAreAccepted) {
  EXPECT_EQ(parse("\xEF\xBB\xBF\r\n {\"RequestId\": \"" + std::string(kId) + "\"}\r\n\r\n").request_id, kId);
}

TEST(TccliAnswer, DeepNestingIsRefusedNotFollowed) {
  std::string deep = R"({"RequestId": ")" + std::string(kId) + R"(", "X": )" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  EXPECT_TRUE(contains(refusal(deep), "not one JSON answer"));
}

TEST(TccliAnswer, AnOverlongResourceIsRefused) {
  EXPECT_TRUE(contains(refusal(R"({"LoadBalancerId": ")" + std::string(2000, 'a') + R"(", "RequestId": ")" +
                               std::string(kId) + "\"}"),
                       "too long"));
}

TEST(TccliAnswer, ReadingStopsAtTheSizeBound) {
  std::istringstream big(R"({"RequestId": ")" + std::string(kId) + R"(", "Pad": ")" +
                         std::string(kMaxTccliAnswerBytes, 'x') + "\"}");
  try {
    readTccliAnswer(big, "stdin");
    FAIL() << "accepted an answer over the bound";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::BadInput);
    EXPECT_TRUE(contains(e.what(), "more than 1 MiB")) << e.what();
  }
  std::istringstream small(R"({"RequestId": ")" + std::string(kId) + "\"}");
  EXPECT_EQ(readTccliAnswer(small, "stdin").request_id, kId);
}

}  // namespace
}  // namespace taskledger::import
