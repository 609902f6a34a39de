#pragma once
// The local endpoint's CloudAudit: answers DescribeEvents from a file of events (the JSON array
// `taskledger-mock generate --events` writes, each event as DescribeEvents returns it), with the
// service's rules:
//   - Region is required (X-TC-Region; MissingParameter, checked by Endpoint);
//   - StartTime and EndTime (Unix seconds) are required (MissingParameter); EndTime before
//     StartTime, a span of 30 days or more, or a StartTime more than 90 days ago is refused with
//     InvalidParameterValue.Time;
//   - MaxResults 1..50 (default 10; else InvalidParameterValue.MaxResult); NextToken an integer
//     from the previous page, time-like as the documentation's (the next event's time and an
//     offset), so that it falls from page to page;
//   - LookupAttributes [{AttributeKey, AttributeValue}]: AND between keys, OR between values of
//     one key. RequestId, EventName, ActionType, PrincipalId, ResourceType, ResourceName,
//     AccessKeyId and ApiErrorCode filter; SensitiveAction, CamErrorCode and Tags are accepted
//     and ignored; any other key is InvalidParameterValue.AttributeKey;
//   - an event becomes visible `visibility_delay` after its EventTime (CloudAudit records calls
//     minutes late);
//   - newest first;
//   - an event with a string field "MockServedAs" is served as that text, verbatim, while its own
//     fields still decide windows and filters: how tests script what a broken or hostile service
//     sends (an EventTime in milliseconds or "abc", a lone "\ud800") that a JSON file cannot hold.
// Immutable once loaded: thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Time.h"

namespace taskledger::mock {

struct AuditReply {
  std::string error_code;     // empty: success
  std::string error_message;
  std::string events_json;    // "[...]" of the page
  bool list_over = true;
  std::optional<std::int64_t> next_token;
};

class AuditTrail {
 public:
  AuditTrail() = default;
  // Throws taskledger::Error (usage) naming the file when it cannot be read or is not an array
  // of events.
  static AuditTrail loadFile(const std::string& path);
  static AuditTrail fromJson(const std::string& json, const std::string& origin);

  AuditReply describe(const std::string& body, std::int64_t now, Millis visibility_delay) const;
  std::size_t size() const { return events_.size(); }

 private:
  struct Stored {
    std::int64_t time = 0;
    std::string request_id, event_name, action_type, principal_id, resource_type, resource_name, secret_id,
        api_error_code;
    std::string json;  // the event as served
  };
  std::vector<Stored> events_;  // newest first
};

}  // namespace taskledger::mock
