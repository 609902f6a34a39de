#pragma once
// The port through which `discover` reads the audit log (CloudAudit DescribeEvents, API.md
// "CloudAudit"). The client in tencent/ implements it; tests use a fake. Plain values, no I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "taskledger/domain/CheckResult.h"

namespace taskledger {

// One LookupAttributes entry: {AttributeKey, AttributeValue}.
struct AuditLookup {
  std::string key;    // "ResourceType", "ActionType", "EventName", ...
  std::string value;  // "clb", "Write", ...
};

// DescribeEvents' NextToken, opaque: handed back exactly as the service sent it. The documentation
// shows a large integer that looks like a time (16805138109322956), not an offset; nothing about
// its order may be assumed.
struct AuditToken {
  std::string text;    // the integer's digits as sent, or the string's content
  bool number = true;  // sent back as a JSON number (else as a string)
  bool operator==(const AuditToken&) const = default;
};

struct AuditQuery {
  std::int64_t start_time = 0;  // Unix seconds; the service allows at most 30 days to end_time
  std::int64_t end_time = 0;    // and no start further back than 90 days
  std::vector<AuditLookup> lookups;
  std::optional<AuditToken> next_token;  // from the previous page; absent for the first
  int max_results = 50;                    // the service's maximum
};

// One audit event, as the client read it from DescribeEvents (its CloudAuditEvent JSON string
// already unpacked).
struct AuditEvent {
  std::string event_id;
  std::string event_name;      // the API action, e.g. "CreateListener"
  std::int64_t event_time = 0;  // Unix seconds
  std::string event_region;
  std::string request_id;      // RequestID: the call's RequestId (API 3.0) or an API 2.0 id
  std::string resource_type;   // Resources.ResourceType, e.g. "clb"
  std::string resource_name;   // Resources.ResourceName
  std::string event_source;    // EventSource, e.g. "clb.tencentcloudapi.com" (may be empty)
  std::string error_code;      // top-level ErrorCode as text; "" or "0" when the call succeeded
  std::string api_version;     // CloudAuditEvent.apiVersion: "3.0" or "2.0"
  std::string action_type;     // CloudAuditEvent.actionType: "Write" or "Read"
  // CloudAuditEvent.apiErrorCode as text, whatever its JSON type: the service sends the integer 0
  // for a call that succeeded ("0" here); "" when absent.
  std::string api_error_code;
  std::string user_name;       // CloudAuditEvent.userIdentity.userName, else top-level Username
  std::string principal_id;    // CloudAuditEvent.userIdentity.principalId
  std::string source_ip;       // SourceIPAddress
  // From CloudAuditEvent.requestParameters: LoadBalancerId, else the first of LoadBalancerIds;
  // else, for a call that creates one (CreateLoadBalancer), the first of responseElements'
  // LoadBalancerIds; empty when none names one.
  std::string load_balancer_id;
};

struct AuditPage {
  std::vector<AuditEvent> events;
  bool list_over = true;
  std::optional<AuditToken> next_token;  // ask again with it unless list_over
  std::string api_request_id;
};

struct AuditAnswer {
  std::variant<AuditPage, ApiError> value;
  // The error says the credentials themselves were refused (exit 77), as opposed to a request
  // the service cannot serve. Decided by the client, the one place that knows Tencent's codes.
  bool credentials_refused = false;
  bool ok() const { return std::holds_alternative<AuditPage>(value); }
  const AuditPage& page() const { return std::get<AuditPage>(value); }
  const ApiError& error() const { return std::get<ApiError>(value); }
};

class AuditEventSource {
 public:
  virtual ~AuditEventSource() = default;
  // One page. Never throws for API or network trouble: that is an ApiError in the answer.
  virtual AuditAnswer describeEvents(const AuditQuery& query) = 0;
  // The host asked, for messages ("cloudaudit.tencentcloudapi.com").
  virtual std::string host() const = 0;
};

}  // namespace taskledger
