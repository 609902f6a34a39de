#pragma once
// What a poller should do with an error code: the one table of API.md "Common error codes",
// extended with the codes the client itself gives to transport failures.
#include <string>
#include <string_view>

#include "taskledger/domain/CheckResult.h"

namespace taskledger::tencent {

// The client's own codes for failures that never reached an API answer.
inline constexpr const char* kCodeNetwork = "Network";          // connect refused, reset, dropped
inline constexpr const char* kCodeTimeout = "Timeout";          // connect or read timed out
inline constexpr const char* kCodeBadResponse = "BadResponse";  // not the {"Response":...} envelope
inline constexpr const char* kCodeCertificate = "Certificate";  // server certificate not trusted
inline constexpr const char* kCodeInvalidRegion = "InvalidRegion";  // no host can be built for it
inline constexpr const char* kHttpStatusPrefix = "HttpStatus.";      // "HttpStatus.503"

struct Classification {
  ErrorConsequence consequence = ErrorConsequence::RetryLater;
  bool rate_limited = false;
  bool unknown_code = false;  // not in the table: retry, but the scheduler bounds how often
};

// Looks `code` up. An entry written as a family ("AuthFailure") matches the code itself and its
// dotted sub-codes ("AuthFailure.SignatureExpire") but not other names sharing the prefix; the
// most specific entry wins. Codes are case-sensitive, as Tencent sends them.
Classification classifyErrorCode(std::string_view code);

// An ApiError with the consequence and flags of its code filled in.
ApiError makeApiError(std::string code, std::string message, std::string api_request_id = "");

}  // namespace taskledger::tencent
