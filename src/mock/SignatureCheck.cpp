#include "taskledger/mock/SignatureCheck.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "taskledger/tencent/Signer.h"

namespace taskledger::mock {
namespace {

constexpr const char* kAlgorithm = "TC3-HMAC-SHA256";
constexpr const char* kTerminator = "tc3_request";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::istringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

// Compares without an early exit, so timing tells nothing about how much of a signature matched.
bool sameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string signatureFor(const AuthorizationHeader& auth, const std::string& canonical_headers,
                         const SignedRequest& request, const std::string& secret_key) {
  using namespace taskledger::tencent;
  std::string canonical_request = request.method + "\n/\n\n" + canonical_headers + "\n" +
                                  auth.signed_headers + "\n" + sha256Hex(request.payload);
  std::string scope = auth.date + "/" + auth.service + "/" + kTerminator;
  std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::to_string(request.timestamp) +
                               "\n" + scope + "\n" + sha256Hex(canonical_request);
  std::string secret_date = hmacSha256("TC3" + secret_key, auth.date);
  std::string secret_service = hmacSha256(secret_date, auth.service);
  std::string secret_signing = hmacSha256(secret_service, kTerminator);
  return toHex(hmacSha256(secret_signing, string_to_sign));
}

}  // namespace

std::optional<AuthorizationHeader> parseAuthorization(const std::string& value) {
  AuthorizationHeader a;
  auto space = value.find(' ');
  if (space == std::string::npos) return std::nullopt;
  a.algorithm = value.substr(0, space);
  bool have_credential = false, have_signed = false, have_signature = false;
  for (const auto& raw : split(value.substr(space + 1), ',')) {
    std::string item = Poco::trim(raw);
    auto eq = item.find('=');
    if (eq == std::string::npos) return std::nullopt;
    std::string name = item.substr(0, eq), v = item.substr(eq + 1);
    if (name == "Credential") {
      auto parts = split(v, '/');
      if (parts.size() != 4) return std::nullopt;
      a.secret_id = parts[0];
      a.date = parts[1];
      a.service = parts[2];
      a.terminator = parts[3];
      have_credential = true;
    } else if (name == "SignedHeaders") {
      a.signed_headers = v;
      have_signed = true;
    } else if (name == "Signature") {
      a.signature = v;
      have_signature = true;
    }
  }
  if (!have_credential || !have_signed || !have_signature) return std::nullopt;
  return a;
}

Refusal verifySignature(const AuthorizationHeader& auth, const SignedRequest& request,
                        const std::string& secret_key, const std::string& service) {
  const std::string expected_date = tencent::utcDate(request.timestamp);
  if (auth.date != expected_date || auth.service != service || auth.terminator != kTerminator) {
    return {"AuthFailure.SignatureFailure",
            "The credential scope " + auth.date + "/" + auth.service + "/" + auth.terminator +
                " does not match " + expected_date + "/" + service + "/" + kTerminator + "."};
  }
  auto names = split(auth.signed_headers, ';');
  bool has_content_type = std::count(names.begin(), names.end(), "content-type") > 0;
  bool has_host = std::count(names.begin(), names.end(), "host") > 0;
  if (!has_content_type || !has_host) {
    return {"AuthFailure.SignatureFailure", "SignedHeaders must include content-type and host."};
  }
  std::string as_sent, lowered;
  for (const auto& name : names) {
    if (name.empty() || name != Poco::toLower(name)) {
      return {"AuthFailure.SignatureFailure", "SignedHeaders must be lower-case names joined by ';'."};
    }
    auto v = request.header(name);
    if (!v) return {"AuthFailure.SignatureFailure", "The signed header " + name + " was not sent."};
    std::string value = Poco::trim(*v);
    as_sent += name + ":" + value + "\n";
    lowered += name + ":" + Poco::toLower(value) + "\n";
  }
  if (sameSecret(auth.signature, signatureFor(auth, as_sent, request, secret_key))) return {};
  if (lowered != as_sent && sameSecret(auth.signature, signatureFor(auth, lowered, request, secret_key))) {
    return {};
  }
  return {"AuthFailure.SignatureFailure",
          "The provided credentials could not be validated. Please check your signature is correct."};
}

}  // namespace taskledger::mock
