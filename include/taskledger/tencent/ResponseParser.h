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
//   a Status that is not an integer in 0..2, fields of the wrong type ("BadResponse").
std::variant<StatusAnswer, ApiError> parseResponse(int http_status, const std::string& body);

}  // namespace taskledger::tencent
