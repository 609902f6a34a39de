// Where credentials are found, in which order, and what is said when they are not.
#include "taskledger/tencent/CredentialSource.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/domain/Time.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::tencent {
namespace {

namespace fs = std::filesystem;
using taskledger::testing::TempDir;

const std::string kCanary = "CANARY-SECRET-KEY-do-not-print";

class CredentialSource : public ::testing::Test {
 protected:
  CredentialLookup lookup(std::optional<std::string> profile = std::nullopt) {
    CredentialLookup l;
    l.profile = std::move(profile);
    l.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    l.home = home_.path().string();
    l.system_file = (home_.path() / "etc/tencentcloud/credentials").string();
    return l;
  }

  std::string writeFile(const std::string& relative, const std::string& content, fs::perms mode = fs::perms::owner_read |
                                                                                                  fs::perms::owner_write) {
    const fs::path p = home_.path() / relative;
    fs::create_directories(p.parent_path());
    home_.write(relative, content);
    fs::permissions(p, mode);
    return p.string();
  }

  std::string tccli(const std::string& profile, const std::string& id, const std::string& key,
                    const std::string& extra = "") {
    return writeFile(".tccli/" + profile + ".credential",
                     R"({"secretId": ")" + id + R"(", "secretKey": ")" + key + "\"" + extra + "}");
  }

  // Runs the lookup expecting an Error; returns its text.
  std::string failure(const CredentialLookup& l) {
    try {
      loadCredentials(l);
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find(kCanary), std::string::npos) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "credentials were found";
    return "";
  }

  std::map<std::string, std::string> env_;
  TempDir home_;
};

TEST_F(CredentialSource, EnvironmentComesFirst) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "AKIDenv"}, {"TENCENTCLOUD_SECRET_KEY", "keyenv"}};
  tccli("default", "AKIDfile", "keyfile");
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDenv");
  EXPECT_EQ(c.credentials.secret_key, "keyenv");
  EXPECT_EQ(c.credentials.token, "");
  EXPECT_EQ(c.source, "environment");
  EXPECT_EQ(c.profile, "default");
}

TEST_F(CredentialSource, EnvironmentTokenUnderEitherName) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "id"}, {"TENCENTCLOUD_SECRET_KEY", "k"}, {"TENCENTCLOUD_SECURITY_TOKEN", "tf"}};
  EXPECT_EQ(loadCredentials(lookup()).credentials.token, "tf");
  env_["TENCENTCLOUD_TOKEN"] = "tccli";
  EXPECT_EQ(loadCredentials(lookup()).credentials.token, "tccli");
}

TEST_F(CredentialSource, HalfAnEnvironmentPairIsAnError) {
  env_ = {{"TENCENTCLOUD_SECRET_KEY", kCanary}};
  tccli("default", "AKIDfile", "keyfile");
  const std::string msg = failure(lookup());
  EXPECT_NE(msg.find("TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"), std::string::npos) << msg;
}

TEST_F(CredentialSource, TccliFileOfTheDefaultProfile) {
  const std::string path = tccli("default", "AKIDfile", "keyfile", R"(, "token": "tok")");
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDfile");
  EXPECT_EQ(c.credentials.secret_key, "keyfile");
  EXPECT_EQ(c.credentials.token, "tok");
  EXPECT_EQ(c.source, path);
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(CredentialSource, ProfileFromTccliProfileVariable) {
  env_ = {{"TCCLI_PROFILE", "prod"}};
  tccli("default", "AKIDdefault", "k1");
  tccli("prod", "AKIDprod", "k2");
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.profile, "prod");
  EXPECT_EQ(c.credentials.secret_id, "AKIDprod");
}

TEST_F(CredentialSource, ProfileFlagBeatsTccliProfileAndTheEnvironment) {
  env_ = {{"TCCLI_PROFILE", "prod"}, {"TENCENTCLOUD_SECRET_ID", "AKIDenv"}, {"TENCENTCLOUD_SECRET_KEY", "keyenv"}};
  tccli("prod", "AKIDprod", "k2");
  tccli("staging", "AKIDstaging", "k3");
  const LoadedCredentials c = loadCredentials(lookup("staging"));
  EXPECT_EQ(c.profile, "staging");
  EXPECT_EQ(c.credentials.secret_id, "AKIDstaging");
}

TEST_F(CredentialSource, IniFileWhenNoTccliFile) {
  const std::string path = writeFile(".tencentcloud/credentials",
                                     "# keys\n[other]\nsecret_id = AKIDother\nsecret_key = ko\n\n"
                                     "[default]\r\nsecret_id = AKIDini\r\nsecret_key=keyini\r\n");
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDini");
  EXPECT_EQ(c.credentials.secret_key, "keyini");
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(loadCredentials(lookup("other")).credentials.secret_id, "AKIDother");
}

TEST_F(CredentialSource, TccliFileBeatsIniFile) {
  writeFile(".tencentcloud/credentials", "[default]\nsecret_id = AKIDini\nsecret_key = keyini\n");
  tccli("default", "AKIDfile", "keyfile");
  EXPECT_EQ(loadCredentials(lookup()).credentials.secret_id, "AKIDfile");
}

TEST_F(CredentialSource, NothingFoundNamesEveryPlaceLooked) {
  writeFile(".tencentcloud/credentials", "[other]\nsecret_id = x\nsecret_key = y\n");
  const std::string msg = failure(lookup());
  EXPECT_NE(msg.find("TENCENTCLOUD_SECRET_ID"), std::string::npos) << msg;
  EXPECT_NE(msg.find((home_.path() / ".tccli/default.credential").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find((home_.path() / ".tencentcloud/credentials").string() + " [default]"), std::string::npos) << msg;
}

TEST_F(CredentialSource, NothingFoundWithProfileFlagSaysTheEnvironmentWasNotUsed) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "AKIDenv"}, {"TENCENTCLOUD_SECRET_KEY", kCanary}};
  const std::string msg = failure(lookup("prod"));
  EXPECT_NE(msg.find("not used: --profile was given"), std::string::npos) << msg;
  EXPECT_NE(msg.find("prod.credential"), std::string::npos) << msg;
}

TEST_F(CredentialSource, BrokenTccliFileIsNamedWithoutQuotingIt) {
  const std::string path = writeFile(".tccli/default.credential", R"({"secretId": "AKID", "secretKey": ")" + kCanary);
  const std::string msg = failure(lookup());
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST_F(CredentialSource, TccliFileMissingAFieldIsNamed) {
  writeFile(".tccli/default.credential", R"({"secretId": "AKID"})");
  EXPECT_NE(failure(lookup()).find("\"secretKey\" is missing"), std::string::npos);
  writeFile(".tccli/default.credential", R"({"secretId": "AKID", "secretKey": 5})");
  EXPECT_NE(failure(lookup()).find("\"secretKey\" is not a string"), std::string::npos);
}

TEST_F(CredentialSource, IniSectionWithoutKeyIsNamed) {
  writeFile(".tencentcloud/credentials", "[default]\nsecret_id = AKID\n");
  EXPECT_NE(failure(lookup()).find("lacks secret_id or secret_key"), std::string::npos);
}

TEST_F(CredentialSource, UnreadableFileIsAnError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  tccli("default", "AKID", kCanary);
  fs::permissions(home_.path() / ".tccli/default.credential", fs::perms::none);
  EXPECT_NE(failure(lookup()).find("cannot be read"), std::string::npos);
}

TEST_F(CredentialSource, FileReadableByOthersGivesAWarning) {
  const std::string path = writeFile(".tccli/default.credential",
                                     R"({"secretId": "AKID", "secretKey": ")" + kCanary + "\"}",
                                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                         fs::perms::others_read);
  const LoadedCredentials c = loadCredentials(lookup());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find(path), std::string::npos);
  EXPECT_NE(c.warnings[0].find("0644"), std::string::npos) << c.warnings[0];
  EXPECT_NE(c.warnings[0].find("chmod 600"), std::string::npos);
  EXPECT_EQ(c.warnings[0].find(kCanary), std::string::npos);
}

TEST_F(CredentialSource, IniFileReadableByGroupGivesAWarning) {
  writeFile(".tencentcloud/credentials", "[default]\nsecret_id = AKID\nsecret_key = k\n",
            fs::perms::owner_read | fs::perms::group_read);
  EXPECT_EQ(loadCredentials(lookup()).warnings.size(), 1u);
}

TEST_F(CredentialSource, ProfileCannotEscapeTheDirectory) {
  try {
    loadCredentials(lookup("../../etc/passwd"));
    ADD_FAILURE() << "accepted a path as profile";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("--profile"), std::string::npos);
  }
}

TEST_F(CredentialSource, ProfileNamesWithDotDotOrFromTheEnvironmentAreRefused) {
  for (const std::string& bad : std::vector<std::string>{"a..b", "..", std::string(kMaxProfileName + 1, 'p')}) {
    try {
      loadCredentials(lookup(bad));
      ADD_FAILURE() << "accepted profile " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Usage) << e.what();
    }
  }
  env_ = {{"TCCLI_PROFILE", "../../etc/evil"}};
  try {
    loadCredentials(lookup());
    ADD_FAILURE() << "accepted TCCLI_PROFILE=../../etc/evil";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("TCCLI_PROFILE: '../../etc/evil' is not a profile name"), std::string::npos)
        << e.what();
  }
}

// /dev/zero never ends (it ended in std::bad_alloc), a FIFO without a writer blocks the open for
// ever, a directory has no text: each is refused at once, by name.
TEST_F(CredentialSource, CredentialFilesThatAreNotRegularFilesAreRefusedByName) {
  const std::string fifo = (home_.path() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string dir = (home_.path() / "a-directory").string();
  fs::create_directories(dir);
  for (const std::string& path : {std::string("/dev/zero"), fifo, dir}) {
    env_ = {{"TENCENTCLOUD_CREDENTIALS_FILE", path}};
    const std::string why = failure(lookup());
    EXPECT_NE(why.find("credential file " + path + ": not a regular file"), std::string::npos) << why;
  }
}

TEST_F(CredentialSource, CredentialFilesAreReadWithASizeBound) {
  const std::string path =
      writeFile("big.ini", "[default]\nsecret_id = AKID\nsecret_key = k\n# " + std::string(kMaxCredentialFileBytes, 'x') + "\n");
  env_ = {{"TENCENTCLOUD_CREDENTIALS_FILE", path}};
  const std::string why = failure(lookup());
  EXPECT_NE(why.find("credential file " + path + ": larger than 64 KiB"), std::string::npos) << why;
}

TEST_F(CredentialSource, EmptyVariablesCountAsUnset) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", ""}, {"TENCENTCLOUD_SECRET_KEY", ""}, {"TCCLI_PROFILE", ""}};
  tccli("default", "AKIDfile", "keyfile");
  EXPECT_EQ(loadCredentials(lookup()).credentials.secret_id, "AKIDfile");
}

// The INI files in the Go and Python SDKs' order: the named file, the home one, the system one.
TEST_F(CredentialSource, IniFilesInOrderNamedHomeThenSystem) {
  const std::string system = writeFile("etc/tencentcloud/credentials", "[default]\nsecret_id = AKIDetc\nsecret_key = k\n");
  EXPECT_EQ(loadCredentials(lookup()).source, system);
  const std::string home = writeFile(".tencentcloud/credentials", "[default]\nsecret_id = AKIDhome\nsecret_key = k\n");
  EXPECT_EQ(loadCredentials(lookup()).credentials.secret_id, "AKIDhome");
  const std::string named = writeFile("elsewhere.ini", "[default]\nsecret_id = AKIDnamed\nsecret_key = k\n");
  env_ = {{"TENCENTCLOUD_CREDENTIALS_FILE", named}};
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDnamed");
  EXPECT_EQ(c.source, named);
  tccli("default", "AKIDtccli", "k");
  EXPECT_EQ(loadCredentials(lookup()).credentials.secret_id, "AKIDtccli");
}

TEST_F(CredentialSource, NothingFoundNamesTheSystemAndNamedFilesToo) {
  env_ = {{"TENCENTCLOUD_CREDENTIALS_FILE", (home_.path() / "missing.ini").string()}};
  const std::string msg = failure(lookup());
  EXPECT_NE(msg.find("missing.ini [default]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("etc/tencentcloud/credentials [default]"), std::string::npos) << msg;
}

// tccli configure set use-cvm-role true: the keys left in the file are not used.
TEST_F(CredentialSource, TccliCvmRoleFileNamesTheInstanceRoleAndDropsItsKeys) {
  const std::string path = tccli("default", "AKIDstale", kCanary, R"(, "type": "cvm-role")");
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_TRUE(c.cvm_role);
  EXPECT_EQ(c.source, path);
  EXPECT_TRUE(c.credentials.secret_id.empty());
  EXPECT_TRUE(c.credentials.secret_key.empty());
  writeFile(".tccli/bare.credential", R"({"type": "cvm-role"})");
  EXPECT_TRUE(loadCredentials(lookup("bare")).cvm_role);
}

TEST_F(CredentialSource, RoleToAssumeFromTheTccliFileOrTheEnvironment) {
  tccli("default", "AKIDfile", "k", R"(, "role-arn": "qcs::cam::uin/1:roleName/file", "role-session-name": "s1")");
  LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDfile");
  EXPECT_EQ(c.role_arn, "qcs::cam::uin/1:roleName/file");
  EXPECT_EQ(c.role_session_name, "s1");
  env_ = {{"TENCENTCLOUD_ROLE_ARN", "qcs::cam::uin/1:roleName/env"}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "s2"}};
  c = loadCredentials(lookup());
  EXPECT_EQ(c.credentials.secret_id, "AKIDfile");
  EXPECT_EQ(c.role_arn, "qcs::cam::uin/1:roleName/env");
  // Like the keys, the environment's role is the default profile's.
  writeFile(".tccli/prod.credential", R"({"secretId": "AKIDprod", "secretKey": "k"})");
  EXPECT_EQ(loadCredentials(lookup("prod")).role_arn, "");
}

TEST_F(CredentialSource, HalfARoleIsAnError) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "id"}, {"TENCENTCLOUD_SECRET_KEY", "k"}, {"TENCENTCLOUD_ROLE_ARN", "qcs::cam::uin/1:roleName/r"}};
  EXPECT_NE(failure(lookup()).find("TENCENTCLOUD_ROLE_SESSION_NAME is not"), std::string::npos);
  env_.clear();
  tccli("default", "AKIDfile", "k", R"(, "role-arn": "qcs::cam::uin/1:roleName/file")");
  EXPECT_NE(failure(lookup()).find("role-arn and role-session-name go together"), std::string::npos);
}

TEST_F(CredentialSource, SessionTokenOfTheNodeSdkIsTheToken) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "id"}, {"TENCENTCLOUD_SECRET_KEY", "k"}, {"TENCENTCLOUD_SESSION_TOKEN", "node"}};
  EXPECT_EQ(loadCredentials(lookup()).credentials.token, "node");
}

TEST_F(CredentialSource, TerraformsAssumeRoleVariablesNameTheRoleItsDurationAndExternalId) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "id"},
          {"TENCENTCLOUD_SECRET_KEY", "k"},
          {"TENCENTCLOUD_ASSUME_ROLE_ARN", "qcs::cam::uin/1:roleName/tf"},
          {"TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME", "terraform"},
          {"TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION", "3600"},
          {"TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID", "ext-42"}};
  const LoadedCredentials c = loadCredentials(lookup());
  EXPECT_EQ(c.role_arn, "qcs::cam::uin/1:roleName/tf");
  EXPECT_EQ(c.role_session_name, "terraform");
  EXPECT_EQ(c.role_duration_seconds, 3600);
  EXPECT_EQ(c.role_external_id, "ext-42");
  env_["TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"] = "two hours";
  EXPECT_THROW(loadCredentials(lookup()), Error);
}

TEST_F(CredentialSource, ExpiredOauthOrSsoKeysAreRefusedSayingToLogInAgain) {
  for (const std::string type : {"oauth", "sso"}) {
    tccli("default", "AKIDsso", kCanary, R"(, "token": "t", "type": ")" + type + R"(", "expiresAt": 1700000000)");
    CredentialLookup l = lookup();
    l.now = [] { return fromUnixSeconds(1700000000); };
    try {
      loadCredentials(l);
      ADD_FAILURE() << type << " keys past expiresAt were used";
    } catch (const Error& e) {
      const std::string msg = e.what();
      EXPECT_EQ(e.code(), ExitCode::AuthRefused);
      EXPECT_NE(msg.find("expired at 2023-11-14T22:13:20"), std::string::npos) << msg;
      EXPECT_NE(msg.find("log in with tccli again"), std::string::npos) << msg;
      EXPECT_EQ(msg.find(kCanary), std::string::npos) << msg;
    }
  }
}

TEST_F(CredentialSource, LiveSsoKeysCarryTheirExpiry) {
  tccli("default", "AKIDsso", "k", R"(, "token": "t", "type": "sso", "expiresAt": 1700000000)");
  CredentialLookup l = lookup();
  l.now = [] { return fromUnixSeconds(1699999000); };
  const LoadedCredentials c = loadCredentials(l);
  EXPECT_EQ(c.credentials.token, "t");
  EXPECT_EQ(c.expires_at, fromUnixSeconds(1700000000));
}

}  // namespace
}  // namespace taskledger::tencent
