// The command-line contract of DESIGN.md, through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::runTaskledger;
using testing::TempDir;

TEST(CommandLine, VersionAndHelpTeach) {
  auto v = runTaskledger({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("taskledger ", 0), 0u);
  auto h = runTaskledger({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"init", "import", "add", "run", "report", "show", "requeue", "prune", "credentials"}) {
    EXPECT_NE(h.out.find(std::string("  ") + cmd + " "), std::string::npos) << cmd;
    auto sub = runTaskledger({cmd, "--help"});
    EXPECT_EQ(sub.exit_code, 0) << cmd;
    EXPECT_NE(sub.out.find("Usage: taskledger " + std::string(cmd)), std::string::npos) << cmd;
    EXPECT_NE(sub.out.find("Example:"), std::string::npos) << cmd;
  }
}

TEST(CommandLine, UsageErrorsAreOneLineNamingTheFlagWithExit2) {
  struct Case { std::vector<std::string> args; std::string names; };
  const Case cases[] = {
      {{"frobnicate"}, "frobnicate"},
      {{"init", "--bogus"}, "--bogus"},
      {{"prune", "--older-than", "ninety"}, "--older-than"},
      {{"run", "--max-duration", "5x"}, "--max-duration"},
      {{"add", "not-a-uuid", "--region", "ap-guangzhou"}, "not-a-uuid"},
      {{"add", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "Guangzhou"}, "--region"},
      {{"init", "--config", "/nonexistent/taskledger.ini"}, "/nonexistent/taskledger.ini"},
      {{"--log-format", "xml", "init"}, "--log-format"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    auto args = c.args;
    args.insert(args.end(), {"--db", dir.file("l.db")});
    auto r = runTaskledger(args);
    EXPECT_EQ(r.exit_code, 2) << c.names << ": " << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(CommandLine, DbComesFromFlagThenEnvironmentThenConfig) {
  TempDir dir;
  std::string ini = dir.write("c.ini", "db = " + dir.file("from-config.db") + "\n");
  ASSERT_EQ(runTaskledger({"init", "--config", ini}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir.file("from-config.db")));
  auto env = testing::withEnv({{"TASKLEDGER_DB", dir.file("from-env.db")}});
  ASSERT_EQ(runTaskledger({"init", "--config", ini}, env).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir.file("from-env.db")));
  ASSERT_EQ(runTaskledger({"init", "--config", ini, "--db", dir.file("from-flag.db")}, env).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir.file("from-flag.db")));
}

TEST(CommandLine, UnknownSettingInACommandSectionNamesFileAndLine) {
  TempDir dir;
  std::string ini = dir.write("c.ini", "db = x.db\n[init]\n\nspeed = 11\n");
  auto r = runTaskledger({"init", "--config", ini});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(ini + ":4: unknown setting 'speed'"), std::string::npos) << r.err;
}

TEST(CommandLine, AddThenShowPrintsTheTaskAndItsChecks) {
  TempDir dir;
  std::string db = dir.file("l.db");
  ASSERT_EQ(runTaskledger({"init", "--db", db}).exit_code, 0);
  auto add = runTaskledger({"add", "55C85074-3E7F-4C6D-864F-673660D4F8DE", "--region", "ap-guangzhou", "--operation",
                            "CreateListener", "--resource", "lb-6efswuxa", "--db", db});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto again = runTaskledger({"add", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou", "--db", db});
  EXPECT_NE(again.out.find("already known"), std::string::npos) << again.out;
  auto show = runTaskledger({"show", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--db", db, "--utc"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  for (const char* want : {"55c85074-3e7f-4c6d-864f-673660d4f8de", "pending", "ap-guangzhou", "CreateListener",
                           "lb-6efswuxa", "checks (0)"}) {
    EXPECT_NE(show.out.find(want), std::string::npos) << want << "\n" << show.out;
  }
  auto missing = runTaskledger({"show", "00000000-0000-4000-8000-000000000000", "--db", db});
  EXPECT_EQ(missing.exit_code, 1);
}

}  // namespace
}  // namespace taskledger
