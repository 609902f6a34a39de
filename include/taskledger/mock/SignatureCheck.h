#pragma once
// Server-side TC3-HMAC-SHA256 verification (API.md), for any SignedHeaders list.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace taskledger::mock {

// The parts of "TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b,
// Signature=HEX".
struct AuthorizationHeader {
  std::string algorithm;
  std::string secret_id, date, service, terminator;
  std::string signed_headers;
  std::string signature;
};

// nullopt when the value does not have that shape.
std::optional<AuthorizationHeader> parseAuthorization(const std::string& value);

// An API error to answer; an empty code means the check passed.
struct Refusal {
  std::string code;
  std::string message;
  bool refused() const { return !code.empty(); }
};

struct SignedRequest {
  std::string method;   // "POST"
  std::function<std::optional<std::string>(const std::string& lower_name)> header;  // as received
  std::string payload;  // the exact body bytes
  std::int64_t timestamp = 0;
};

// Checks the scope (date of `timestamp`, `service`, tc3_request), that SignedHeaders holds
// content-type and host, and the signature under `secret_key`. Header values are canonicalised
// trimmed, and accepted as sent or lower-cased.
Refusal verifySignature(const AuthorizationHeader& auth, const SignedRequest& request,
                        const std::string& secret_key, const std::string& service);

}  // namespace taskledger::mock
