// Issue 20 item 3, end to end: nothing from outside poisons the ledger. `discover` against the
// local endpoint's CloudAudit skips each event with an insane EventTime with one warning naming
// it and records the rest, a lone surrogate costing one field; and `run` over a ledger that already
// holds a bad timestamp names that task and checks every task, the bad one included.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/AuditEventGenerator.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::runTaskledger;
using testing::TempDir;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// request id -> column value, for every task of the ledger.
std::map<std::string, std::string> column(const std::string& db_path, const std::string& name) {
  SQLite::Database db(db_path);
  SQLite::Statement q(db, "SELECT request_id, " + name + " FROM tasks");
  std::map<std::string, std::string> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

class PoisonedInput : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0); }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

TEST_F(PoisonedInput, DiscoverSkipsEachEventWithAnInsaneTimeWithOneWarningAndKeepsTheRest) {
  mock::GeneratorOptions o;
  o.tasks = 40;
  o.regions = {"ap-guangzhou", "ap-shanghai"};
  o.seed = 20;
  o.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  const mock::GeneratedEvents events = mock::generateAuditEvents(mock::generateScenario(o), {40, 20});
  ASSERT_GE(events.expected.size(), 6u);

  // The first four tasks' events come with a bad EventTime (milliseconds: year 58902; ten years
  // ahead; "abc"; "-1"), the fifth's with a lone surrogate in its source IP.
  const std::int64_t ten_years = 10LL * 365 * 86400;
  std::map<std::string, std::string> bad_time;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& e = events.expected[i];
    bad_time[e.request_id] = std::vector<std::string>{std::to_string(e.event_time * 1000),
                                                      std::to_string(e.event_time + ten_years), "abc", "-1"}[i];
  }
  const std::string surrogate_id = events.expected[4].request_id;
  auto all = Poco::JSON::Parser().parse(events.json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto e = all->getObject(static_cast<unsigned>(i));
    const std::string id = e->getValue<std::string>("RequestID");
    std::ostringstream served;
    e->stringify(served);
    const std::string time = "\"EventTime\":\"" + e->getValue<std::string>("EventTime") + "\"";
    if (bad_time.count(id)) {
      e->set("MockServedAs", replaced(served.str(), time, "\"EventTime\":\"" + bad_time[id] + "\""));
    } else if (id == surrogate_id) {
      const std::string ip = "\"SourceIPAddress\":\"" + e->getValue<std::string>("SourceIPAddress") + "\"";
      e->set("MockServedAs", replaced(served.str(), ip, R"("SourceIPAddress":"10.0.\ud800.1")"));
    }
  }
  std::ostringstream file;
  all->stringify(file);
  std::ofstream(dir_.file("events.json")) << file.str();

  MockEndpointProcess mock(dir_, {}, {"--events", dir_.file("events.json")});
  std::vector<std::string> args{"discover", "--db", db_};
  for (const auto& f : mock.discoverFlags()) args.push_back(f);
  const auto r = runTaskledger(args, testing::withEnv(mock.credentialsEnv()));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto submitted = column(db_, "submitted_at");
  EXPECT_EQ(submitted.size(), events.expected.size() - 4) << r.out << r.err;
  for (const auto& [id, time] : bad_time) {
    EXPECT_FALSE(submitted.count(id)) << time;
    EXPECT_EQ(count(r.err, id), 1u) << "one warning naming " << id << " (EventTime " << time << "):\n" << r.err;
  }
  EXPECT_EQ(count(r.err, "warning"), 4u) << r.err;
  for (const auto& [id, time] : submitted) {
    EXPECT_TRUE(time >= "2000" && time <= formatIsoUtc(o.now + std::chrono::hours(24))) << id << " " << time;
  }
  EXPECT_EQ(column(db_, "source_ip")[surrogate_id], "10.0.\uFFFD.1");

  // The cursor stayed before now: a discover right after reads the last minutes again, not 2036.
  SQLite::Database db(db_);
  SQLite::Statement cursor(db, "SELECT last_event_at FROM discovery_cursor");
  ASSERT_TRUE(cursor.executeStep());
  EXPECT_LE(cursor.getColumn(0).getString(), formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now())));
}

TEST_F(PoisonedInput, RunNamesTheTaskWithABadStoredTimeAndChecksEveryTask) {
  auto gen = testing::runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "6", "--regions", "ap-guangzhou",
                                  "--csv", dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--seed",
                                  "20", "--mix", "succeed=1"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_}).exit_code, 0);
  MockEndpointProcess mock(dir_, {"ap-guangzhou"}, {"--scenario", dir_.file("scenario.json")});
  std::vector<std::string> ids;
  for (const auto& [id, state] : column(db_, "state")) ids.push_back(id);
  ASSERT_EQ(ids.size(), 6u);
  {
    // What an older discover stored, and garbage from an older version.
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("UPDATE tasks SET submitted_at = '58902-01-01T00:00:00.000Z' WHERE request_id = '" + ids[0] + "'");
    db.exec("UPDATE tasks SET imported_at = 'garbage' WHERE request_id = '" + ids[1] + "'");
  }
  std::vector<std::string> args{"run", "--db", db_};
  for (const auto& f : mock.runFlags()) args.push_back(f);
  const auto r = runTaskledger(args, testing::withEnv(mock.credentialsEnv()));
  EXPECT_NE(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("task " + ids[0] + " (ap-guangzhou): submitted_at '58902-01-01T00:00:00.000Z' is not a time"),
            std::string::npos)
      << r.out << r.err;
  EXPECT_NE(r.err.find("task " + ids[1] + " (ap-guangzhou): imported_at 'garbage' is not a time"), std::string::npos)
      << r.out << r.err;
  for (const auto& [id, attempts] : column(db_, "attempts")) EXPECT_GE(std::stoi(attempts), 1) << id << " was not checked";

  // show and a wide report go on too.
  const auto show = runTaskledger({"show", ids[0], "--db", db_});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("unreadable"), std::string::npos) << show.out;
  const auto report = runTaskledger({"report", "--db", db_, "--since", "2000-01-01", "--until", "9999-12-31"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE((report.out + report.err).find(ids[0]), std::string::npos) << report.out << report.err;
}

}  // namespace
}  // namespace taskledger
