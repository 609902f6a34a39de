// The secret key never leaves the process (issue 3, 6): every command and every report format is
// run with a canary secret, and everything they wrote is searched for it. And SQL is only ever
// built with bound parameters: values full of quotes and SQL are stored and shown verbatim.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

TEST(Secrets, CanarySecretAppearsNowhereAnyCommandWrites) {
  TempDir dir;
  std::string db = dir.file("ledger.db");
  auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "40", "--regions", "ap-guangzhou,ap-beijing",
                         "--csv", dir.file("t.csv"), "--scenario", dir.file("s.json"), "--mix",
                         "succeed=0.5,fail=0.2,unknown=0.2,stuck=0.1"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  MockEndpointProcess mock(dir, {"ap-guangzhou", "ap-beijing"}, {"--scenario", dir.file("s.json")});
  auto env = testing::withEnv(mock.credentialsEnv());
  std::string id = readFile(dir.file("t.csv")).substr(readFile(dir.file("t.csv")).find('\n') + 1, 36);

  std::vector<std::vector<std::string>> commands{
      {"--help"}, {"init", "--verbose"}, {"import", dir.file("t.csv"), "--verbose", "--rejects", dir.file("rej.csv")},
      {"add", "77c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou"},
      {"run", "--help"}, {"show", id}, {"requeue"}, {"prune", "--older-than", "90d"}, {"credentials"}};
  std::vector<std::string> run{"run", "--verbose", "--log-format", "json", "--metrics-file", dir.file("m.prom")};
  auto flags = mock.runFlags();
  run.insert(run.end(), flags.begin(), flags.end());
  commands.push_back(run);
  for (const char* format : {"text", "csv", "json", "markdown", "html"}) {
    commands.push_back({"report", "--format", format, "--output", dir.file(std::string("report.") + format)});
    commands.push_back({"report", "--format", format, "--stuck-after", "0s"});
  }
  // A wrong secret too: AuthFailure messages must not echo what was sent.
  std::string everything;
  for (auto args : commands) {
    args.insert(args.end(), {"--db", db});
    auto r = runTaskledger(args, env);
    EXPECT_LT(r.exit_code, 64) << args[0] << ": " << r.err;
    everything += r.out + r.err;
  }
  auto wrong = env;
  wrong.env["TENCENTCLOUD_SECRET_KEY"] = std::string(MockEndpointProcess::kSecretKey) + "-wrong";
  runTaskledger({"add", "88c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou", "--db", db});
  auto refused = runTaskledger(run, wrong);
  everything += refused.out + refused.err;
  mock.stop();

  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "mock.err" &&
        entry.path().parent_path().filename() != "certs") {
      everything += readFile(entry.path().string());
    }
  }
  EXPECT_GT(everything.size(), 10'000u);
  EXPECT_EQ(everything.find(MockEndpointProcess::kSecretKey), std::string::npos);
}

TEST(Secrets, SqlAndQuotesInValuesAreStoredAndShownVerbatim) {
  TempDir dir;
  std::string db = dir.file("ledger.db");
  const std::string evil_op = "x'); DROP TABLE tasks; --";
  const std::string evil_res = "lb-\"quoted\" ' OR '1'='1";
  std::string csv = "request_id,region,operation,resource\n"
                    "55c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou,\"x'); DROP TABLE tasks; --\","
                    "\"lb-\"\"quoted\"\" ' OR '1'='1\"\n"
                    "66c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou,\"Robert'); DELETE FROM checks;--\",lb-1\n";
  ASSERT_EQ(runTaskledger({"init", "--db", db}).exit_code, 0);
  auto imp = runTaskledger({"import", dir.write("evil.csv", csv), "--db", db});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  SQLite::Database check(db);
  SQLite::Statement q(check, "SELECT operation, resource FROM tasks WHERE request_id = '55c85074-3e7f-4c6d-864f-673660d4f8de'");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), evil_op);
  EXPECT_EQ(q.getColumn(1).getString(), evil_res);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM tasks").getInt(), 2);
  auto show = runTaskledger({"show", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--db", db});
  EXPECT_NE(show.out.find(evil_op), std::string::npos) << show.out;
  auto report = runTaskledger({"report", "--format", "json", "--operation", evil_op, "--db", db});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("\"total\": 1"), std::string::npos) << report.out.substr(0, 400);
}

}  // namespace
}  // namespace taskledger
