#include "taskledger/tencent/Signer.h"

#include <Poco/String.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <stdexcept>

#ifndef TASKLEDGER_VERSION
#define TASKLEDGER_VERSION "0.0.0"
#endif

namespace taskledger::tencent {

// The SDKs accept only [0-9a-zA-Z-_ ,;.] here (API.md), so no '/'.
const char* const kRequestClient = "taskledger_" TASKLEDGER_VERSION;

namespace {

constexpr const char* kAlgorithm = "TC3-HMAC-SHA256";
constexpr const char* kScopeTerminator = "tc3_request";

// OpenSSL 3 looks an algorithm up by name on each implicit use (EVP_sha256() in a digest, and
// HMAC() looks up both HMAC and the digest): about a third of the cost of signing a request.
// Fetched once, the digest is used as is; a fetched EVP_MD is read-only, so threads share it.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md ? md : EVP_sha256();
}

constexpr std::size_t kSha256Size = 32;

// One SHA-256 over the concatenation of `parts`.
void sha256(std::initializer_list<std::pair<const void*, std::size_t>> parts, unsigned char* out) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), sha256(), nullptr) == 1;
  for (const auto& [data, size] : parts) ok = ok && EVP_DigestUpdate(ctx.get(), data, size) == 1;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), out, nullptr) != 1) throw std::runtime_error("SHA-256 failed (OpenSSL)");
}

}  // namespace

std::string toHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::string sha256Hex(const std::string& data) {
  unsigned char digest[kSha256Size];
  sha256({{data.data(), data.size()}}, digest);
  return toHex(std::string(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string hmacSha256(const std::string& key, const std::string& data) {
  unsigned char digest[kSha256Size];
  unsigned int size = 0;
  if (HMAC(sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), digest, &size) == nullptr ||
      size != kSha256Size) {
    throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  }
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string utcDate(std::int64_t timestamp) {
  const std::time_t t = static_cast<std::time_t>(timestamp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Signature sign(const Credentials& creds, const ApiSpec& api, const SignInput& in) {
  // The signed headers, already lower-cased and sorted by name (the canonical order).
  std::vector<std::pair<std::string, std::string>> signed_headers = {
      {"content-type", Poco::trim(in.content_type)},
      {"host", Poco::trim(in.host)},
  };
  if (in.sign_action) signed_headers.emplace_back("x-tc-action", Poco::toLower(api.action));

  Signature s;
  std::string canonical_headers;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!s.signed_headers.empty()) s.signed_headers += ';';
    s.signed_headers += name;
  }

  // Only POST with the body in the payload is used; the canonical query is therefore empty.
  s.canonical_request = in.method + "\n/\n\n" + canonical_headers + "\n" + s.signed_headers + "\n" +
                        sha256Hex(in.payload);

  const std::string date = utcDate(in.timestamp);
  const std::string timestamp = std::to_string(in.timestamp);
  const std::string scope = date + "/" + api.service + "/" + kScopeTerminator;
  s.string_to_sign = std::string(kAlgorithm) + "\n" + timestamp + "\n" + scope + "\n" +
                     sha256Hex(s.canonical_request);

  const std::string secret_date = hmacSha256("TC3" + creds.secret_key, date);
  const std::string secret_service = hmacSha256(secret_date, api.service);
  const std::string secret_signing = hmacSha256(secret_service, kScopeTerminator);
  s.secret_date_hex = toHex(secret_date);
  s.secret_service_hex = toHex(secret_service);
  s.secret_signing_hex = toHex(secret_signing);
  s.signature = toHex(hmacSha256(secret_signing, s.string_to_sign));

  s.authorization = std::string(kAlgorithm) + " Credential=" + creds.secret_id + "/" + scope +
                    ", SignedHeaders=" + s.signed_headers + ", Signature=" + s.signature;

  s.headers = {
      {"Host", in.host},
      {"Content-Type", in.content_type},
      {"X-TC-Action", api.action},
      {"X-TC-Version", api.version},
      {"X-TC-Timestamp", timestamp},
  };
  if (!in.region.empty()) s.headers.emplace_back("X-TC-Region", in.region);
  if (!creds.token.empty()) s.headers.emplace_back("X-TC-Token", creds.token);
  s.headers.emplace_back("X-TC-RequestClient", in.request_client.empty() ? kRequestClient : in.request_client);
  if (!in.language.empty()) s.headers.emplace_back("X-TC-Language", in.language);
  s.headers.emplace_back("Authorization", s.authorization);
  return s;
}

}  // namespace taskledger::tencent
