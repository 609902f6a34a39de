#pragma once
// TC3-HMAC-SHA256 request signing (API.md). A pure function: same inputs, same bytes out.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace taskledger::tencent {

struct Credentials {
  std::string secret_id;
  std::string secret_key;  // never printed, logged or stored
  std::string token;       // temporary credentials only; sent as X-TC-Token
};

// What an API is, as data: another Tencent async-task API is another ApiSpec, not new code.
struct ApiSpec {
  std::string service;  // "clb": used in the credential scope
  std::string action;   // "DescribeTaskStatus"
  std::string version;  // "2018-03-17"
};

struct SignInput {
  std::string method = "POST";
  std::string host;          // the Host header, exactly as sent
  std::string content_type = "application/json";
  std::string region;        // X-TC-Region; empty: header not sent
  std::int64_t timestamp = 0;  // Unix seconds; Date in the scope is its UTC date
  std::string payload;       // the exact bytes of the body
  bool sign_action = false;  // also sign "x-tc-action" (the newest docs' form)
  // X-TC-RequestClient, sent (not signed, as the SDKs do) on every request; empty: kRequestClient.
  std::string request_client;
  std::string language;      // X-TC-Language ("en-US" or "zh-CN"); empty: header not sent
};

// What taskledger calls itself to Tencent: "taskledger/<version>".
extern const char* const kRequestClient;

// Every intermediate value, so tests can compare each with the published vectors.
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string secret_date_hex, secret_service_hex, secret_signing_hex;
  std::string signed_headers;  // "content-type;host" or "content-type;host;x-tc-action"
  std::string signature;       // hex
  std::string authorization;   // the Authorization header value
  // Headers to send, in order: Host, Content-Type, X-TC-Action, X-TC-Version, X-TC-Timestamp,
  // X-TC-Region (when set), X-TC-Token (when set), X-TC-RequestClient, X-TC-Language (when set),
  // Authorization.
  std::vector<std::pair<std::string, std::string>> headers;
};

Signature sign(const Credentials& creds, const ApiSpec& api, const SignInput& in);

// Lower-case hex of SHA-256 and of HMAC-SHA256; exposed for the endpoint's verification.
std::string sha256Hex(const std::string& data);
std::string hmacSha256(const std::string& key, const std::string& data);  // raw 32 bytes
std::string toHex(const std::string& bytes);

// "2019-02-25" for a Unix timestamp (UTC).
std::string utcDate(std::int64_t timestamp);

}  // namespace taskledger::tencent
