#include "taskledger/tencent/ErrorClassifier.h"

#include <array>

#include "taskledger/domain/Text.h"

namespace taskledger::tencent {
namespace {

using C = ErrorConsequence;

struct Entry {
  std::string_view code;
  bool family;  // also matches "<code>.<anything>"
  ErrorConsequence consequence;
  bool rate_limited = false;
  bool account_wide = false;
};

// API.md "Error codes and what taskledger does with them", row by row (the README has the same
// table). DescribeTaskStatus is read-only, so every RetryLater is safe to resend.
constexpr std::array kTable{
    // Over a frequency limit: slow down and ask again. The sub-codes count the whole account
    // (or its IP), so every host of the credential slows down, not only the one that answered.
    Entry{"RequestLimitExceeded", true, C::RetryLater, true, false},
    Entry{"RequestLimitExceeded.UinLimitExceeded", false, C::RetryLater, true, true},
    Entry{"RequestLimitExceeded.GlobalRegionUinLimitExceeded", false, C::RetryLater, true, true},
    Entry{"RequestLimitExceeded.IPLimitExceeded", false, C::RetryLater, true, true},
    // Transient: ask again later, after a backoff.
    Entry{"InternalError", true, C::RetryLater},
    Entry{"ServiceUnavailable", true, C::RetryLater},
    Entry{"ResourceUnavailable", true, C::RetryLater},
    Entry{"ResourceInUse", true, C::RetryLater},
    Entry{kCodeNetwork, false, C::RetryLater},
    Entry{kCodeTimeout, false, C::RetryLater},
    Entry{kCodeBadResponse, false, C::RetryLater},
    Entry{"HttpStatus", true, C::RetryLater},
    // This TaskId is wrong for good.
    Entry{"InvalidParameter", true, C::RejectTask},
    Entry{"InvalidParameterValue", true, C::RejectTask},
    Entry{"ResourceNotFound", true, C::RejectTask},
    Entry{kCodeInvalidRegion, false, C::RejectTask},
    // Cause not documented: may pass; rejected only after several such answers, across runs.
    Entry{"FailedOperation", true, C::RejectAfterRepeats},
    // The region does not offer the API, or its host cannot be reached: park it for the run.
    Entry{"UnsupportedRegion", true, C::ParkRegion},
    Entry{"InvalidParameter.RegionNotFound", false, C::ParkRegion},
    Entry{kCodeHostUnreachable, false, C::ParkRegion},
    // A Status the API does not document: keep asking, keep the raw answer.
    Entry{kCodeUnknownStatus, false, C::KeepWaiting},
    // The credentials are refused: stop that credential's work (exit 77).
    Entry{"AuthFailure", true, C::RefuseCredentials},
    Entry{"UnauthorizedOperation", true, C::RefuseCredentials},
    Entry{"IpInBlacklist", false, C::RefuseCredentials},
    Entry{"IpNotInWhitelist", false, C::RefuseCredentials},
    Entry{kCodeProxyAuthRequired, false, C::RefuseCredentials},
    // The local clock is wrong, not the keys: stop (exit 1) and say by how much.
    Entry{"AuthFailure.SignatureExpire", false, C::StopRun},
    // The request itself is malformed: every task would get the same answer, so none is
    // rejected for it; stop the run (exit 1).
    Entry{"UnknownParameter", true, C::StopRun},
    Entry{"InvalidAction", false, C::StopRun},
    Entry{"NoSuchVersion", false, C::StopRun},
    Entry{"MissingParameter", true, C::StopRun},
    Entry{"UnsupportedProtocol", false, C::StopRun},
    Entry{"InvalidRequest", true, C::StopRun},
    Entry{"RequestSizeLimitExceeded", true, C::StopRun},
    Entry{"NoSuchProduct", false, C::StopRun},
    Entry{"ActionOffline", false, C::StopRun},
    Entry{kCodeCertificate, false, C::StopRun},
};

// Messages come from servers and libraries: keep them to one printable line of bounded length.
constexpr std::size_t kMaxMessageLength = 300;

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Cut to kMaxMessageLength bytes plus "...", never inside a UTF-8 character (the message is
// stored, printed and put into JSON). A text no longer than a cut one is kept whole, so cutting
// a message again changes nothing.
std::string oneLine(const std::string& text) {
  const bool cut = text.size() > kMaxMessageLength + 3;
  std::size_t keep = text.size();
  if (cut) {
    keep = kMaxMessageLength;
    while (keep > 0 && isUtf8Continuation(text[keep])) --keep;
  }
  std::string out;
  out.reserve(keep + 3);
  for (std::size_t i = 0; i < keep; ++i) {
    const char c = text[i];
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  if (cut) out += "...";
  return out;
}

bool matches(const Entry& e, std::string_view code) {
  if (code == e.code) return true;
  return e.family && code.size() > e.code.size() + 1 && code.substr(0, e.code.size()) == e.code &&
         code[e.code.size()] == '.';
}

}  // namespace

Classification classifyErrorCode(std::string_view code) {
  const Entry* best = nullptr;
  for (const Entry& e : kTable) {
    if (matches(e, code) && (best == nullptr || e.code.size() > best->code.size())) best = &e;
  }
  if (best == nullptr) return {ErrorConsequence::RetryLater, false, false, true};
  return {best->consequence, best->rate_limited, best->account_wide, false};
}

ApiError makeApiError(std::string code, std::string message, std::string api_request_id) {
  const Classification c = classifyErrorCode(code);
  ApiError e;
  e.code = serverText(code);  // a server's code is a name; one of kilobytes is bounded like a message
  e.message = oneLine(message);
  e.api_request_id = std::move(api_request_id);
  e.consequence = c.consequence;
  e.rate_limited = c.rate_limited;
  e.account_wide = c.account_wide;
  e.unknown_code = c.unknown_code;
  return e;
}

}  // namespace taskledger::tencent
