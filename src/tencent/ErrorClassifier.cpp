#include "taskledger/tencent/ErrorClassifier.h"

#include <array>

namespace taskledger::tencent {
namespace {

using C = ErrorConsequence;

struct Entry {
  std::string_view code;
  bool family;  // also matches "<code>.<anything>"
  ErrorConsequence consequence;
  bool rate_limited;
};

// API.md "Common error codes" and issue 3 item 6. DescribeTaskStatus is read-only, so every
// RetryLater is safe to resend.
constexpr std::array kTable{
    // Ask again later, after a backoff.
    Entry{"RequestLimitExceeded", true, C::RetryLater, true},
    Entry{"InternalError", true, C::RetryLater, false},
    Entry{"ServiceUnavailable", true, C::RetryLater, false},
    Entry{"ResourceUnavailable", true, C::RetryLater, false},
    Entry{"ResourceInUse", true, C::RetryLater, false},
    Entry{kCodeNetwork, false, C::RetryLater, false},
    Entry{kCodeTimeout, false, C::RetryLater, false},
    Entry{kCodeBadResponse, false, C::RetryLater, false},
    Entry{"HttpStatus", true, C::RetryLater, false},
    // This TaskId is refused for good.
    Entry{"InvalidParameter", true, C::RejectTask, false},
    Entry{"InvalidParameterValue", true, C::RejectTask, false},
    Entry{"MissingParameter", true, C::RejectTask, false},
    Entry{"ResourceNotFound", true, C::RejectTask, false},
    Entry{"FailedOperation", true, C::RejectTask, false},
    Entry{kCodeInvalidRegion, false, C::RejectTask, false},
    // Nothing will work until a person changes something: stop the run.
    Entry{"AuthFailure", true, C::RefuseCredentials, false},
    Entry{"UnauthorizedOperation", true, C::RefuseCredentials, false},
    Entry{"InvalidAction", false, C::StopRun, false},
    Entry{"NoSuchVersion", false, C::StopRun, false},
    Entry{"NoSuchProduct", false, C::StopRun, false},
    Entry{"ActionOffline", false, C::StopRun, false},
    Entry{"UnsupportedRegion", false, C::StopRun, false},
    Entry{"UnsupportedProtocol", false, C::StopRun, false},
    Entry{"IpInBlacklist", false, C::RefuseCredentials, false},
    Entry{"IpNotInWhitelist", false, C::RefuseCredentials, false},
    Entry{kCodeCertificate, false, C::StopRun, false},
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
  if (best == nullptr) return {ErrorConsequence::RetryLater, false, true};
  return {best->consequence, best->rate_limited, false};
}

ApiError makeApiError(std::string code, std::string message, std::string api_request_id) {
  const Classification c = classifyErrorCode(code);
  ApiError e;
  e.code = std::move(code);
  e.message = oneLine(message);
  e.api_request_id = std::move(api_request_id);
  e.consequence = c.consequence;
  e.rate_limited = c.rate_limited;
  e.unknown_code = c.unknown_code;
  return e;
}

}  // namespace taskledger::tencent
