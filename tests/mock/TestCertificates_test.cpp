#include "taskledger/mock/TestCertificates.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger::mock {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

X509* readCert(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return nullptr;
  X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return c;
}

// Verifies `server` against `ca` as a TLS client would, for `host`.
bool verifies(const TestCertificates& c, const std::string& host) {
  X509* ca = readCert(c.ca_cert);
  X509* server = readCert(c.server_cert);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, server, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (host == "127.0.0.1") {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  }
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(server);
  X509_free(ca);
  return ok;
}

TEST(TestCertificates, TheServerCertificateIsTrustedForLoopbackAndTheGivenHosts) {
  taskledger::testing::TempDir dir;
  auto c = generateTestCertificates(dir.file("certs"), regionalHosts({"ap-guangzhou", "ap-shanghai"}));
  EXPECT_TRUE(verifies(c, "127.0.0.1"));
  EXPECT_TRUE(verifies(c, "localhost"));
  EXPECT_TRUE(verifies(c, "clb.ap-guangzhou.tencentcloudapi.com"));
  EXPECT_TRUE(verifies(c, "clb.ap-shanghai.tencentcloudapi.com"));
  EXPECT_FALSE(verifies(c, "clb.ap-beijing.tencentcloudapi.com"));
  EXPECT_FALSE(verifies(c, "clb.tencentcloudapi.com"));
  auto perms = std::filesystem::status(c.server_key).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

TEST(TestCertificates, IsIdempotentAndReissuesOnlyForNewHosts) {
  taskledger::testing::TempDir dir;
  auto first = generateTestCertificates(dir.file("c"), {"a.example"});
  const std::string ca = slurp(first.ca_cert), server = slurp(first.server_cert);
  generateTestCertificates(dir.file("c"), {"a.example"});
  EXPECT_EQ(slurp(first.server_cert), server);
  EXPECT_EQ(slurp(first.ca_cert), ca);
  auto again = generateTestCertificates(dir.file("c"), {"b.example"});
  EXPECT_NE(slurp(again.server_cert), server);
  EXPECT_EQ(slurp(again.ca_cert), ca) << "the CA clients already trust is kept";
  EXPECT_TRUE(verifies(again, "b.example"));
}

TEST(TestCertificates, TheScriptMakesEquivalentFilesIdempotently) {
  if (taskledger::testing::runProcess({"/bin/sh", "-c", "command -v openssl"}).exit_code != 0) {
    GTEST_SKIP() << "no openssl command";
  }
  taskledger::testing::TempDir dir;
  const std::string script = std::string(TASKLEDGER_SOURCE_DIR) + "/scripts/gen-certs.sh";
  auto r = taskledger::testing::runProcess({script, dir.file("c"), "clb.ap-beijing.tencentcloudapi.com"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out + r.err, "") << "quiet";
  TestCertificates c{dir.file("c/ca.pem"), dir.file("c/ca.key"), dir.file("c/server.pem"), dir.file("c/server.key")};
  EXPECT_TRUE(verifies(c, "127.0.0.1"));
  EXPECT_TRUE(verifies(c, "localhost"));
  EXPECT_TRUE(verifies(c, "clb.ap-beijing.tencentcloudapi.com"));
  EXPECT_FALSE(verifies(c, "clb.ap-guangzhou.tencentcloudapi.com"));
  const std::string server = slurp(c.server_cert);
  ASSERT_EQ(taskledger::testing::runProcess({script, dir.file("c"), "clb.ap-beijing.tencentcloudapi.com"}).exit_code, 0);
  EXPECT_EQ(slurp(c.server_cert), server);
  // The in-process generator accepts the script's files as they are.
  generateTestCertificates(dir.file("c"), {"clb.ap-beijing.tencentcloudapi.com"});
  EXPECT_EQ(slurp(c.server_cert), server);
}

}  // namespace
}  // namespace taskledger::mock
