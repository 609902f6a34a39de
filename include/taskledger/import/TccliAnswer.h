#pragma once
// The JSON answer of one mutating CLB call, as `add --from-json` reads it from a pipe: tccli
// prints it without the envelope (`{"ListenerIds": ["lbl-..."], "RequestId": "..."}`), SDK users
// often print it whole (`{"Response": {..., "RequestId": "..."}}`). Its RequestId is the TaskId
// that DescribeTaskStatus takes.
//
// Refused, with one line naming what was wrong (taskledger::Error, bad input, exit 65): input
// that is empty, larger than kMaxTccliAnswerBytes or not one JSON object; an error answer
// (`Response.Error`, its code and message quoted); a missing, non-string or non-UUID RequestId;
// several ids (two answers in a row, a RequestId both outside and inside Response, a key twice
// in one object). Nothing about the answer is guessed, so a refused answer records nothing.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace taskledger::import {

// A mutating call answers in a few hundred bytes; anything near this is not one answer.
constexpr std::size_t kMaxTccliAnswerBytes = 1 << 20;

struct TccliAnswer {
  std::string request_id;  // lower-case UUID
  // What the call changed, when the answer names it: `LoadBalancerId`, else the first of
  // `LoadBalancerIds`, else the first value of the first other `...Ids` array (ListenerIds,
  // LocationIds, ...), in the answer's own key order. Empty when it names none.
  std::string resource;
  // `DealName`: the order a prepaid purchase (CreateLoadBalancer) made; empty when none (or null).
  std::string deal_name;
};

// The region tccli is configured with: `_sys_param.region` of `~/.tccli/<profile>.configure`
// (`tccli configure set region R`), given the file's text; nullopt when it names none or is not
// tccli's JSON. What `add --from-json` uses when neither --region nor TENCENTCLOUD_REGION is given,
// as tccli itself does.
std::optional<std::string> tccliConfiguredRegion(std::string_view configure_json);

// `where` names the input in messages ("stdin").
TccliAnswer parseTccliAnswer(std::string_view json, const std::string& where);

// Reads all of `in` (at most kMaxTccliAnswerBytes) and parses it. Also throws taskledger::Error
// (runtime failure) when the stream cannot be read.
TccliAnswer readTccliAnswer(std::istream& in, const std::string& where);

}  // namespace taskledger::import
