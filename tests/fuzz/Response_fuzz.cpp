// parseResponse and the error classifier (tencent/ResponseParser.h, ErrorClassifier.h): the bytes
// a server (or anything pretending to be one) sends back. Every input is read three ways: as a
// 200 body, as the body of another HTTP status, and its first line as an error code.
#include <cstdio>
#include <string>
#include <variant>

#include "FuzzCheck.h"
#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace {

using taskledger::ApiError;
using taskledger::ErrorConsequence;
using taskledger::StatusAnswer;
using taskledger::fuzz::isOneLine;
using namespace taskledger::tencent;

// ErrorClassifier keeps messages to 300 characters plus "...".
constexpr std::size_t kMaxMessage = 303;

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", u);
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void checkClassified(const ApiError& e, std::string_view context) {
  FUZZ_CHECK(!e.code.empty(), context);
  FUZZ_CHECK(isOneLine(e.message), e.message);
  FUZZ_CHECK(e.message.size() <= kMaxMessage, context);
  const Classification c = classifyErrorCode(e.code);
  FUZZ_CHECK(e.consequence == c.consequence && e.rate_limited == c.rate_limited &&
                 e.unknown_code == c.unknown_code,
             e.code);
  FUZZ_CHECK(!e.rate_limited || e.consequence == ErrorConsequence::RetryLater, e.code);
  FUZZ_CHECK(!e.unknown_code || (e.consequence == ErrorConsequence::RetryLater && !e.rate_limited), e.code);
}

// What was read is what was there: the same values written back as the documented envelope
// read back identically.
void checkStatusRoundTrip(const StatusAnswer& a) {
  std::string body = "{\"Response\":{\"Status\":" + std::to_string(a.status) + ",\"Message\":" +
                     jsonString(a.message) + ",\"LoadBalancerIds\":[";
  for (std::size_t i = 0; i < a.load_balancer_ids.size(); ++i) {
    body += (i ? "," : "") + jsonString(a.load_balancer_ids[i]);
  }
  body += "],\"RequestId\":" + jsonString(a.api_request_id) + "}}";
  const auto again = parseResponse(200, body);
  FUZZ_CHECK(std::holds_alternative<StatusAnswer>(again), body);
  const auto& b = std::get<StatusAnswer>(again);
  FUZZ_CHECK(b.status == a.status && b.message == a.message && b.load_balancer_ids == a.load_balancer_ids &&
                 b.api_request_id == a.api_request_id,
             body);
}

void checkErrorRoundTrip(const ApiError& e) {
  const std::string body = "{\"Response\":{\"Error\":{\"Code\":" + jsonString(e.code) + ",\"Message\":" +
                           jsonString(e.message) + "},\"RequestId\":" + jsonString(e.api_request_id) + "}}";
  const auto again = parseResponse(200, body);
  FUZZ_CHECK(std::holds_alternative<ApiError>(again), body);
  const auto& f = std::get<ApiError>(again);
  FUZZ_CHECK(f.code == e.code && f.message == e.message && f.api_request_id == e.api_request_id, body);
}

void checkOk(const std::string& body) {
  const auto result = parseResponse(200, body);
  if (const auto* a = std::get_if<StatusAnswer>(&result)) {
    FUZZ_CHECK(a->status >= 0 && a->status <= 2, body);
    FUZZ_CHECK(!a->api_request_id.empty(), body);
    checkStatusRoundTrip(*a);
    return;
  }
  const auto& e = std::get<ApiError>(result);
  checkClassified(e, body);
  if (e.code == kCodeBadResponse) {
    FUZZ_CHECK(e.consequence == ErrorConsequence::RetryLater, body);
  } else if (e.code == kCodeUnknownStatus) {
    FUZZ_CHECK(e.consequence == ErrorConsequence::KeepWaiting && !e.api_request_id.empty(), body);
  } else {  // the server's own Error object
    FUZZ_CHECK(!e.api_request_id.empty(), body);
    checkErrorRoundTrip(e);
  }
}

void checkOtherStatus(int http_status, const std::string& body) {
  const auto result = parseResponse(http_status, body);
  FUZZ_CHECK(std::holds_alternative<ApiError>(result), "only HTTP 200 carries a status");
  const auto& e = std::get<ApiError>(result);
  checkClassified(e, body);
  FUZZ_CHECK(e.code == kHttpStatusPrefix + std::to_string(http_status), e.code);
  FUZZ_CHECK(e.consequence == ErrorConsequence::RetryLater && !e.unknown_code, e.code);
}

// A family matches its dotted sub-codes and nothing else that merely shares its prefix.
void checkFamily(std::string_view suffix) {
  const std::string family = "RequestLimitExceeded";
  const Classification sub = classifyErrorCode(family + "." + std::string(suffix));
  if (!suffix.empty()) FUZZ_CHECK(sub.rate_limited && !sub.unknown_code, suffix);
  if (!suffix.empty() && suffix.front() != '.') {
    const Classification other = classifyErrorCode(family + std::string(suffix));
    FUZZ_CHECK(other.unknown_code && !other.rate_limited, suffix);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string body(taskledger::fuzz::asText(data, size));
  checkOk(body);
  // 100..599 except 200, chosen by the input so every status class is seen.
  int status = 100 + static_cast<int>(size % 500);
  if (status == 200) status = 500;
  checkOtherStatus(status, body);

  const std::string_view first_line = std::string_view(body).substr(0, body.find('\n'));
  if (!first_line.empty()) checkClassified(makeApiError(std::string(first_line), body), first_line);
  checkFamily(first_line);
  return 0;
}
