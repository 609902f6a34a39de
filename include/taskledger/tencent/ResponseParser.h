#pragma once
// Turns one HTTP answer of DescribeTaskStatus into a status or a classified error.
#include <string>
#include <variant>

#include "taskledger/domain/CheckResult.h"

namespace taskledger::tencent {

// Contract:
// - HTTP 200 with {"Response":{"Status":0|1|2,"Message":..,"LoadBalancerIds":[..],"RequestId":".."}}
//   is a StatusAnswer; Message and LoadBalancerIds may be null or absent (then empty).
// - HTTP 200 with {"Response":{"Error":{"Code":"..","Message":".."},"RequestId":".."}} is an ApiError
//   classified by classifyErrorCode().
// - Anything else is an ApiError that says to retry later, never a status: a non-200 status
//   ("HttpStatus.<n>"), a body that is not JSON, JSON without "Response", a missing RequestId,
//   a Status that is not an integer, fields of the wrong type ("BadResponse").
// - An integer Status outside 0..2 is "UnknownStatus" (KeepWaiting) with the raw answer as its
//   message.
std::variant<StatusAnswer, ApiError> parseResponse(int http_status, const std::string& body);

// For AuthFailure.SignatureExpire: "the local clock is 612 s ahead of the server's Date (...)",
// from the HTTP Date header and the timestamp the request was signed with; a plainer line when
// the server sent no readable Date.
std::string clockDifference(const std::string& http_date, TimePoint signed_at);

}  // namespace taskledger::tencent
