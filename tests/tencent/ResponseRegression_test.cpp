// Inputs the response fuzzer (tests/fuzz/Response_fuzz.cpp) found, kept as plain tests.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace taskledger::tencent {
namespace {

// A long error message was cut at 300 bytes in the middle of a UTF-8 character ("中" is three
// bytes): the stored message was not valid UTF-8, and read back from JSON it came out different.
// Cutting a message that was already cut must change nothing.
TEST(ResponseRegression, ALongMessageIsNotCutInsideACharacterAndCuttingAgainChangesNothing) {
  const std::string head(299, 'j');
  const std::string body = "{\"Response\":{\"Error\":{\"Code\":\"InvalidParameter\",\"Message\":\"" + head +
                           "\\u4e2d and more\"},\"RequestId\":\"r5\"}}";
  const auto result = parseResponse(200, body);
  ASSERT_TRUE(std::holds_alternative<ApiError>(result));
  const std::string message = std::get<ApiError>(result).message;
  EXPECT_EQ(message, head + "...");
  EXPECT_EQ(makeApiError("InvalidParameter", message).message, message);
  const std::string cut_after_the_character = std::string(297, 'j') + "\xe4\xb8\xad" + "...";
  EXPECT_EQ(makeApiError("InvalidParameter", cut_after_the_character).message, cut_after_the_character);
}

// A code of 140 invalid bytes became 140 U+FFFD (420 bytes, over the 300 a server text keeps): cut
// and marked, its marker then took it past 300 again, so reading the stored code back cut it a
// second time with another marker. A cut code is now kept as it is.
TEST(ResponseRegression, ACutErrorCodeReadsBackAsItself) {
  const std::string body = "{\"Response\":{\"Error\":{\"Code\":\"Aut0ailurre" + std::string(140, '\xf6') +
                           "E\x7fpir0\",\"Message\":\"expired\\nretry\"},\"RequestId\":\"r6\"}}";
  const auto first = parseResponse(200, body);
  ASSERT_TRUE(std::holds_alternative<ApiError>(first));
  const ApiError& e = std::get<ApiError>(first);
  EXPECT_LE(e.code.size(), 300u);
  const std::string again = "{\"Response\":{\"Error\":{\"Code\":\"" + e.code + "\",\"Message\":\"m\"},\"RequestId\":\"r6\"}}";
  const auto second = parseResponse(200, again);
  ASSERT_TRUE(std::holds_alternative<ApiError>(second));
  EXPECT_EQ(std::get<ApiError>(second).code, e.code);
}

}  // namespace
}  // namespace taskledger::tencent
