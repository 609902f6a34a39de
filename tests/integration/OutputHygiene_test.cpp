// Issue 20, item 5, through the real binary: what servers, files and ledger rows say reaches the
// terminal escaped and bounded; a proxy's 407 is refused credentials (exit 77) for run, discover
// and STS; profile names are checked where they enter; credential files that are not files are
// refused by name. Every server here is the tests' own, on 127.0.0.1.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "support/CannedServer.h"
#include "support/ConnectProxy.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/TestCertificates.h"

namespace taskledger {
namespace {

using testing::runTaskledger;
using testing::TempDir;

const std::string kTask = "55c85074-3e7f-4c6d-864f-673660d4f8de";
const std::string kSecretId = "AKIDhygiene0123456789";
const std::string kSecretKey = "CANARY-hygiene-secret-key";
const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/poller";
const std::string kProxyPassword = "proxy-s3cret-never-shown";

// A terminal escape in both C0 and C1 forms, and the raw 8-bit CSI byte.
const std::string kEscapes = "\x1b[2J\xc2\x9b" "31m\x9b" "1m";
// The same as a server writes it in JSON (which has no raw bytes that are not UTF-8).
const std::string kJsonEscapes = R"(\u001b[2J\u009b31m)";

bool hasRawControls(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b || c == 0x9b || (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x9b)) {
      return true;
    }
  }
  return false;
}

class OutputHygiene : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  }

  // Nothing of the developer's own environment takes part; `vars` on top.
  testing::ProcessOptions env(std::map<std::string, std::string> vars = {}) const {
    vars["HOME"] = dir_.file("home");
    return testing::withEnv(vars, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN",
                                   "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_ROLE_ARN", "TENCENTCLOUD_ROLE_SESSION_NAME",
                                   "TENCENTCLOUD_CREDENTIALS_FILE", "TENCENTCLOUD_CAM_ROLE_NAME", "TCCLI_PROFILE",
                                   "TENCENTCLOUD_DOMAIN", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"});
  }
  std::map<std::string, std::string> keys() const {
    return {{"TENCENTCLOUD_SECRET_ID", kSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSecretKey}};
  }
  std::map<std::string, std::string> role() const {
    auto k = keys();
    k["TENCENTCLOUD_ROLE_ARN"] = kRoleArn;
    k["TENCENTCLOUD_ROLE_SESSION_NAME"] = "cron";
    return k;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

// Before: a Network error, retried, and the run ended with exit 0.
TEST_F(OutputHygiene, AProxysRefusalOfItsCredentialsIsExit77ForRunDiscoverAndSts) {
  testing::ConnectProxy proxy("carol:right");
  const std::string url = "http://carol:" + kProxyPassword + "@127.0.0.1:" + std::to_string(proxy.port());
  ASSERT_EQ(runTaskledger({"add", kTask, "--region", "ap-guangzhou", "--db", db_}).exit_code, 0);

  const auto run = runTaskledger({"run", "--db", db_, "--proxy", url, "--max-duration", "30s"}, env(keys()));
  const auto discover = runTaskledger({"discover", "--db", db_, "--proxy", url}, env(keys()));
  const auto sts = runTaskledger({"credentials", "--proxy", url}, env(role()));
  for (const auto* r : {&run, &discover, &sts}) {
    EXPECT_EQ(r->exit_code, 77) << r->err;
    EXPECT_NE(r->err.find("refused the credentials (HTTP 407"), std::string::npos) << r->err;
    EXPECT_EQ((r->out + r->err).find(kProxyPassword), std::string::npos) << r->err;
    EXPECT_EQ((r->out + r->err).find(kSecretKey), std::string::npos);
  }
  EXPECT_FALSE(proxy.targets().empty());
}

// Before: the whole 50 KB message, escapes and all, on one line of the operator's terminal.
TEST_F(OutputHygiene, AHugeStsMessageIsCutAndItsEscapesAreShownNotObeyed) {
  const auto certs = mock::generateTestCertificates(dir_.file("certs"), {"sts.tencentcloudapi.com"});
  const std::string message = kJsonEscapes + std::string(50 * 1024, 'x');
  testing::CannedServer sts({200, R"({"Response":{"Error":{"Code":"InternalError","Message":")" + message +
                                      R"("},"RequestId":"r-1"}})"},
                            certs.server_cert, certs.server_key);
  const auto r = runTaskledger({"credentials", "--ca-file", certs.ca_cert, "--resolve",
                                "sts.tencentcloudapi.com:127.0.0.1:" + std::to_string(sts.port())},
                               env(role()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("InternalError"), std::string::npos) << r.err.substr(0, 2000);
  EXPECT_LT(r.err.size(), 1500u) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("[cut from"), std::string::npos) << r.err.substr(0, 2000);
  EXPECT_FALSE(hasRawControls(r.err)) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("\\x1b[2J\\u009b31m"), std::string::npos) << r.err.substr(0, 2000);
}

TEST_F(OutputHygiene, AMetadataServiceCodeIsCutAndEscapedToo) {
  testing::CannedServer metadata({200, R"({"Code":")" + kJsonEscapes + std::string(50 * 1024, 'c') + R"("})"});
  const auto r = runTaskledger({"credentials", "--cvm-role", "poller", "--resolve",
                                "metadata.tencentyun.com:127.0.0.1:" + std::to_string(metadata.port())},
                               env());
  EXPECT_EQ(r.exit_code, 77) << r.err.substr(0, 2000);
  EXPECT_LT(r.err.size(), 1500u) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("[cut from"), std::string::npos) << r.err.substr(0, 2000);
  EXPECT_FALSE(hasRawControls(r.err)) << r.err.substr(0, 2000);
}

// Errors are escaped in one place, whatever command and value they name.
TEST_F(OutputHygiene, ErrorsQuotingAUsersValueShowItsControlsEscaped) {
  const auto r = runTaskledger({"add", kTask, "--region", "ap-" + kEscapes, "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(hasRawControls(r.err)) << r.err;
  EXPECT_NE(r.err.find("\\x1b[2J\\u009b31m\\x9b1m"), std::string::npos) << r.err;
}

// An operation recorded with C1 controls in it cannot reach the terminal through the text
// report or `show`.
TEST_F(OutputHygiene, C1ControlsInARecordedOperationAreEscapedInTheReportAndShow) {
  ASSERT_EQ(runTaskledger({"add", kTask, "--region", "ap-guangzhou", "--operation", "Create" + kEscapes, "--db", db_})
                .exit_code,
            0);
  {
    SQLite::Database sql(db_, SQLite::OPEN_READWRITE);
    sql.exec("UPDATE tasks SET state = 'failed', resolved_at = submitted_at, message = 'boom " + kEscapes + "'");
  }
  const auto report = runTaskledger({"report", "--db", db_, "--since", "2020-01-01T00:00:00Z", "--format", "text", "--utc"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_FALSE(hasRawControls(report.out)) << report.out;
  EXPECT_NE(report.out.find("\\u009b"), std::string::npos) << report.out;
  const auto show = runTaskledger({"show", kTask, "--db", db_});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_FALSE(hasRawControls(show.out)) << show.out;
}

TEST_F(OutputHygiene, AProfileNameThatIsAPathIsRefusedAtAddAndImport) {
  const auto add = runTaskledger({"add", kTask, "--region", "ap-guangzhou", "--profile", "../../etc/evil", "--db", db_});
  EXPECT_EQ(add.exit_code, 2);
  EXPECT_NE(add.err.find("--profile: '../../etc/evil' is not a profile name"), std::string::npos) << add.err;
  const std::string csv = dir_.write("tasks.csv", "request_id,region,profile\n" + kTask + ",ap-guangzhou,..\n");
  const auto import = runTaskledger({"import", csv, "--db", db_});
  EXPECT_NE(import.out.find("rejected 1"), std::string::npos) << import.out << import.err;
  SQLite::Database sql(db_, SQLite::OPEN_READONLY);
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM tasks").getInt(), 0);
}

// A ledger written before names were checked: one line names the profile, the run goes on.
TEST_F(OutputHygiene, ALedgerAlreadyHoldingABadProfileNoLongerMakesEveryRunExit2) {
  ASSERT_EQ(runTaskledger({"add", kTask, "--region", "ap-guangzhou", "--db", db_}).exit_code, 0);
  {
    SQLite::Database sql(db_, SQLite::OPEN_READWRITE);
    sql.exec("UPDATE tasks SET profile = '../../etc/evil'");
  }
  const auto r = runTaskledger({"run", "--db", db_, "--max-duration", "30s"}, env(keys()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("'../../etc/evil' is not a profile name"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Before: /dev/zero ended in std::bad_alloc, and a FIFO hung the command for ever.
TEST_F(OutputHygiene, ACredentialFileThatIsADeviceOrAFifoIsRefusedByName) {
  const std::string fifo = dir_.file("creds.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {std::string("/dev/zero"), fifo}) {
    auto options = env({{"TENCENTCLOUD_CREDENTIALS_FILE", path}});
    options.timeout_seconds = 20;
    const auto r = runTaskledger({"credentials", "--resolve", "metadata.tencentyun.com:127.0.0.1:1"}, options);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("credential file " + path + ": not a regular file"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace taskledger
