#include "taskledger/mock/TestCertificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

namespace fs = std::filesystem;

struct FreeKey { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct FreeCert { void operator()(X509* c) const { X509_free(c); } };
struct FreeNames { void operator()(GENERAL_NAMES* n) const { GENERAL_NAMES_free(n); } };
struct CloseFile { void operator()(std::FILE* f) const { std::fclose(f); } };
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cert = std::unique_ptr<X509, FreeCert>;

constexpr long kValidSeconds = 30L * 24 * 3600;
constexpr long kBackdateSeconds = 24L * 3600;  // tolerate a test clock a little behind

[[noreturn]] void fail(const std::string& what) {
  throw Error::runtime("test certificates: " + what);
}

Key newKey() {
  Key k(EVP_EC_gen("P-256"));
  if (!k) fail("cannot generate an EC P-256 key");
  return k;
}

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("cannot make the extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `common_name`, issued by `issuer` (self-issued when null), with
// the given extensions (NID, value in openssl's configuration syntax), signed by `issuer_key`.
Cert makeCert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
              const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // a positive serial number
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidSeconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("taskledger tests"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer ? issuer : cert.get();
  for (const auto& [nid, value] : extensions) addExtension(cert.get(), signer, nid, value);
  addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (!X509_sign(cert.get(), issuer_key, EVP_sha256())) fail("cannot sign the certificate " + common_name);
  return cert;
}

// Writes through a temporary file and a rename, so a reader never sees half a file.
template <typename WriteFn>
void writePem(const fs::path& path, bool secret, WriteFn write) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::unique_ptr<std::FILE, CloseFile> f(std::fopen(tmp.c_str(), "wb"));
    if (!f) fail("cannot write " + tmp.string());
    if (secret) fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    if (!write(f.get())) fail("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

Cert readCert(const fs::path& path) {
  std::unique_ptr<std::FILE, CloseFile> f(std::fopen(path.c_str(), "rb"));
  if (!f) return nullptr;
  return Cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
}

Key readKey(const fs::path& path) {
  std::unique_ptr<std::FILE, CloseFile> f(std::fopen(path.c_str(), "rb"));
  if (!f) return nullptr;
  return Key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
}

// Still valid for a day, and naming every host wanted.
bool stillGood(X509* cert, const std::vector<std::string>& hosts) {
  std::time_t tomorrow = std::time(nullptr) + 24 * 3600;
  if (X509_cmp_time(X509_get0_notAfter(cert), &tomorrow) <= 0) return false;
  std::unique_ptr<GENERAL_NAMES, FreeNames> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return false;
  std::set<std::string> dns;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    if (n->type != GEN_DNS) continue;
    const auto* s = n->d.dNSName;
    dns.emplace(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
  }
  return std::all_of(hosts.begin(), hosts.end(), [&](const std::string& h) { return dns.count(h) > 0; });
}

}  // namespace

TestCertificates generateTestCertificates(const std::string& dir, const std::vector<std::string>& extra_hosts) {
  fs::path d(dir);
  std::error_code ec;
  fs::create_directories(d, ec);
  if (ec) fail("cannot create " + dir + " (" + ec.message() + ")");
  TestCertificates out{(d / "ca.pem").string(), (d / "ca.key").string(), (d / "server.pem").string(),
                       (d / "server.key").string()};
  std::vector<std::string> hosts{"localhost"};
  hosts.insert(hosts.end(), extra_hosts.begin(), extra_hosts.end());

  Cert ca = readCert(out.ca_cert);
  Key ca_key = readKey(out.ca_key);
  if (ca && ca_key && fs::exists(out.server_key)) {
    Cert server = readCert(out.server_cert);
    if (server && stillGood(server.get(), hosts) && X509_verify(server.get(), ca_key.get()) == 1) return out;
  }
  std::time_t tomorrow = std::time(nullptr) + 24 * 3600;
  if (!ca || !ca_key || X509_cmp_time(X509_get0_notAfter(ca.get()), &tomorrow) <= 0) {
    ca_key = newKey();
    ca = makeCert(ca_key.get(), "taskledger test CA", nullptr, ca_key.get(),
                  {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign,cRLSign"}});
    writePem(out.ca_key, true, [&](std::FILE* f) {
      return PEM_write_PrivateKey(f, ca_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    writePem(out.ca_cert, false, [&](std::FILE* f) { return PEM_write_X509(f, ca.get()) == 1; });
  }
  std::string alt_names = "IP:127.0.0.1";
  for (const auto& h : hosts) alt_names += ",DNS:" + h;
  Key server_key = newKey();
  Cert server = makeCert(server_key.get(), "localhost", ca.get(), ca_key.get(),
                         {{NID_basic_constraints, "critical,CA:FALSE"},
                          {NID_key_usage, "critical,digitalSignature"},
                          {NID_ext_key_usage, "serverAuth"},
                          {NID_subject_alt_name, alt_names}});
  writePem(out.server_key, true, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, server_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  writePem(out.server_cert, false, [&](std::FILE* f) { return PEM_write_X509(f, server.get()) == 1; });
  return out;
}

std::vector<std::string> regionalHosts(const std::vector<std::string>& regions) {
  std::vector<std::string> hosts;
  for (const auto& r : regions) hosts.push_back("clb." + r + ".tencentcloudapi.com");
  return hosts;
}

}  // namespace taskledger::mock
