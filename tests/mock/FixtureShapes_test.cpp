// Issue 21 item 2: the local endpoint's answers held to the official shapes (tests/fixtures/tencent/,
// each file naming the documentation page or SDK model it follows). Every field the endpoint sends
// exists in the official answer with the same JSON type, so the endpoint cannot drift into a shape
// that only our own client understands.
#include <gtest/gtest.h>
#include <Poco/Net/HTTPClientSession.h>

#include <fstream>

#include "MockTestSupport.h"
#include "support/Fixture.h"
#include "support/JsonShape.h"
#include "taskledger/mock/AuditEventGenerator.h"
#include "taskledger/mock/ScenarioGenerator.h"

namespace taskledger::mock {
namespace {

using taskledger::testing::fixture;
using taskledger::testing::shapeDifferences;

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class FixtureShapes : public testing::MockServerSuite {
 protected:
  void SetUp() override {
    GeneratorOptions g;
    g.tasks = 20;
    g.regions = {"ap-guangzhou"};
    g.mix = {{"succeed", 1.0}};
    g.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    const auto events = generateAuditEvents(generateScenario(g), {5, 3});
    events_file_ = dir_->file("fixture-events.json");
    std::ofstream(events_file_) << events.json;
    MockServerOptions o = baseOptions();
    o.scenario.default_task = everyId({0});
    o.events_file = events_file_;
    o.metadata_port = 0;
    server_ = std::make_unique<MockServer>(o);
    server_->start();
    client_ = std::make_unique<testing::TestClient>(server_->port(), certs_.ca_cert);
  }

  std::string events_file_;
  std::unique_ptr<MockServer> server_;
  std::unique_ptr<testing::TestClient> client_;
};

TEST_F(FixtureShapes, DescribeTaskStatusAndTheErrorEnvelope) {
  const auto ok = client_->call("55c85074-3e7f-4c6d-864f-673660d4f8de");
  ASSERT_EQ(ok.seen(), "status:0") << ok.body;
  EXPECT_EQ(join(shapeDifferences(fixture("clb_DescribeTaskStatus_succeeded.json"), ok.body,
                                  {".Response.Status", ".Response.RequestId"})), "");
  testing::CallOptions wrong;
  wrong.creds.secret_key = "not-the-key";
  const auto refused = client_->call("55c85074-3e7f-4c6d-864f-673660d4f8de", wrong);
  ASSERT_EQ(refused.code().rfind("AuthFailure", 0), 0u) << refused.body;
  EXPECT_EQ(join(shapeDifferences(fixture("common_error_InvalidParameter.json"), refused.body,
                                  {".Response.Error.Code", ".Response.Error.Message", ".Response.RequestId"})), "");
}

TEST_F(FixtureShapes, DescribeEventsAsCloudAuditDocumentsIt) {
  testing::CallOptions audit;
  audit.api = {"cloudaudit", "DescribeEvents", "2019-03-19"};
  audit.host = "cloudaudit.tencentcloudapi.com";
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  audit.body = R"({"StartTime":)" + std::to_string(now - 86400) + R"(,"EndTime":)" + std::to_string(now) +
               R"(,"MaxResults":3})";
  const auto page = client_->call("", audit);
  ASSERT_EQ(page.http, 200) << page.body;
  ASSERT_EQ(page.code(), "") << page.body;
  EXPECT_EQ(join(shapeDifferences(fixture("cloudaudit_DescribeEvents_page.json"), page.body,
                                  {".Response.Events", ".Response.ListOver", ".Response.NextToken", ".Response.RequestId"})),
            "");
  // Region is required, as the service requires it.
  audit.region = "";
  EXPECT_EQ(client_->call("", audit).code(), "MissingParameter");
}

TEST_F(FixtureShapes, StsAndTheMetadataServiceHandOutKeysAsDocumented) {
  testing::CallOptions sts;
  sts.api = {"sts", "AssumeRole", "2018-08-13"};
  sts.host = "sts.tencentcloudapi.com";
  sts.body = R"({"RoleArn":"qcs::cam::uin/100000000001:roleName/deploy","RoleSessionName":"fixture"})";
  const auto keys = client_->call("", sts);
  ASSERT_EQ(keys.code(), "") << keys.body;
  EXPECT_EQ(join(shapeDifferences(fixture("sts_AssumeRole.json"), keys.body,
                                  {".Response.Credentials.TmpSecretId", ".Response.Credentials.TmpSecretKey",
                                   ".Response.Credentials.Token", ".Response.ExpiredTime", ".Response.Expiration"})),
            "");

  Poco::Net::HTTPClientSession metadata("127.0.0.1", static_cast<Poco::UInt16>(server_->metadataPort()));
  const auto get = [&](const std::string& path) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    metadata.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(metadata.receiveResponse(response), body);
    return body;
  };
  const std::string role = get("/latest/meta-data/cam/security-credentials/");
  std::string official_role = fixture("cvm_metadata_role_name.txt");
  official_role.erase(official_role.find_last_not_of('\n') + 1);
  EXPECT_EQ(role.find_first_of("{}\"\n"), std::string::npos) << "the role name is plain text: " << role;
  ASSERT_FALSE(role.empty());
  const std::string credentials = get("/latest/meta-data/cam/security-credentials/" + role);
  EXPECT_EQ(join(shapeDifferences(fixture("cvm_metadata_credentials.json"), credentials,
                                  {".TmpSecretId", ".TmpSecretKey", ".Token", ".ExpiredTime", ".Expiration", ".Code"})),
            "");
}

}  // namespace
}  // namespace taskledger::mock
