#pragma once
// What a poller should do with an error code: the one table of API.md "Error codes and what
// taskledger does with them" (also in the README), extended with the codes the client itself gives to transport failures.
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
// The host name does not resolve or the host refuses the connection (not a timeout or a reset,
// which a busy host also gives): the region is parked for the run.
inline constexpr const char* kCodeHostUnreachable = "HostUnreachable";
// An answer with a Status outside 0..2: kept raw in the message, the task stays in progress.
inline constexpr const char* kCodeUnknownStatus = "UnknownStatus";
// The HTTPS proxy answered CONNECT with 407: it refused its credentials (exit 77, as AuthFailure).
inline constexpr const char* kCodeProxyAuthRequired = "ProxyAuthRequired";
// The local clock is wrong: the client adds the difference to the server's Date to its message.
inline constexpr const char* kCodeSignatureExpire = "AuthFailure.SignatureExpire";

struct Classification {
  ErrorConsequence consequence = ErrorConsequence::RetryLater;
  bool rate_limited = false;
  bool account_wide = false;  // a rate limit of the whole credential: every host slows down
  bool unknown_code = false;  // not in the table: retry, but the scheduler bounds how often
};

// Looks `code` up. An entry written as a family ("AuthFailure") matches the code itself and its
// dotted sub-codes ("AuthFailure.SignatureExpire") but not other names sharing the prefix; the
// most specific entry wins. Codes are case-sensitive, as Tencent sends them.
Classification classifyErrorCode(std::string_view code);

// An ApiError with the consequence and flags of its code filled in.
ApiError makeApiError(std::string code, std::string message, std::string api_request_id = "");

}  // namespace taskledger::tencent
