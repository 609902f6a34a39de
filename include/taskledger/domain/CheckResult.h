#pragma once
// What one DescribeTaskStatus call came to, as the scheduler needs it: a status, or a classified
// error. Produced by the API client (tencent/) and by fakes in tests.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "taskledger/domain/Time.h"

namespace taskledger {

// The answer's Status: 0 succeeded, 1 failed, 2 in progress.
struct StatusAnswer {
  int status = 2;
  std::string message;                        // the API's Message (may be empty)
  std::vector<std::string> load_balancer_ids;  // the API's LoadBalancerIds (may be empty)
  std::string api_request_id;                 // the RequestId of this query
};

// What the poller should do with an error (API.md, "Error codes and what taskledger does with
// them"; the table itself is tencent/ErrorClassifier.cpp).
enum class ErrorConsequence {
  RetryLater,   // rate limiting, server trouble, network: ask again after a backoff
  RejectTask,   // this TaskId is refused for good (InvalidParameter, ...)
  StopRun,      // nothing will work (a malformed request, a wrong clock, a certificate, ...):
                // end the run (exit 1), leave tasks as they were
  RefuseCredentials,  // the credentials are refused (AuthFailure, ...): end the run (exit 77)
  ParkRegion,   // the region is refused or its host cannot be reached: leave its tasks due,
                // go on with the other regions, end with exit 1
  RejectAfterRepeats,  // FailedOperation: retried across runs, rejected after several answers
  KeepWaiting,  // an answer whose Status is outside 0..2: the task stays in progress
};

struct ApiError {
  std::string code;     // the API's Error.Code, or our own for transport failures:
                        // "Network", "Timeout", "HttpStatus.503", "BadResponse", "Certificate"
  std::string message;  // one line; never contains a secret
  std::string api_request_id;  // empty when the server never answered
  ErrorConsequence consequence = ErrorConsequence::RetryLater;
  bool rate_limited = false;   // RequestLimitExceeded or one of its sub-codes
  bool account_wide = false;   // a rate limit of the whole credential (UinLimitExceeded, ...):
                               // every host of the run slows down, not only the one that answered
  bool unknown_code = false;   // a code not in the classification table (retried, bounded)
  // The call failed on a reused kept-alive connection the server may have closed: worth one
  // immediate resend on a fresh connection before it counts as an error.
  bool stale_connection = false;
};

struct CheckResult {
  std::variant<StatusAnswer, ApiError> value;
  long long latency_ms = 0;
  std::string endpoint_host;  // the Host that was signed and sent
  // When the request was written to an open connection (after any connect and TLS handshake):
  // the best estimate of its arrival, which is what the server's rate limit counts. Unset when
  // it was never written.
  std::optional<TimePoint> written_at;

  bool ok() const { return std::holds_alternative<StatusAnswer>(value); }
  const StatusAnswer& answer() const { return std::get<StatusAnswer>(value); }
  const ApiError& error() const { return std::get<ApiError>(value); }
};

}  // namespace taskledger
