// Issue 21 item 2: the CVM metadata client fed the answers as Tencent's CVM documentation gives
// them (tests/fixtures/tencent/cvm_metadata_*), not as our local endpoint writes them: the role name
// as plain text, the keys as JSON with an integer ExpiredTime.
#include <gtest/gtest.h>

#include <string>

#include "support/Fixture.h"
#include "support/ScriptedServer.h"
#include "taskledger/tencent/MetadataClient.h"

namespace taskledger::tencent {
namespace {

using taskledger::testing::fixture;
using taskledger::testing::ScriptedServer;

ServiceAccess reaching(const ScriptedServer& server) {
  ServiceAccess access;
  access.endpoints = EndpointResolver::fromFlags(
      "clb", "", "", {std::string(MetadataClient::kHost) + ":127.0.0.1:" + std::to_string(server.port())});
  return access;
}

TEST(MetadataAnswer, TheRoleNameAndItsKeysAsDocumented) {
  std::string role_text = fixture("cvm_metadata_role_name.txt");
  ScriptedServer names(ScriptedServer::answerEach([&](const std::string&) { return role_text; }));
  EXPECT_EQ(MetadataClient(reaching(names)).roleName(), "CVM_QcsRole");  // the trailing newline is not part of it

  const std::string keys_json = fixture("cvm_metadata_credentials.json");
  ScriptedServer keys(ScriptedServer::answerEach([&](const std::string&) { return keys_json; }));
  const TemporaryCredentials t = MetadataClient(reaching(keys)).roleCredentials("CVM_QcsRole");
  EXPECT_EQ(t.credentials.secret_id, "AKIDoQMjhJyvCqk3********JV6rMBLhHgCqx1R");
  EXPECT_EQ(t.credentials.secret_key, "g5mC3IjnOrTJh0Q********wj3R8bKNEHRHsE");
  EXPECT_EQ(t.credentials.token.rfind("x0zc8Vu3jiLUFqtAeF6lRkiG1zLdwOOKT3cpcpGJ6qTBbeHMjMrzL", 0), 0u);
  EXPECT_EQ(t.expires_at, fromUnixSeconds(1615590047));  // ExpiredTime, an integer of Unix seconds
}

}  // namespace
}  // namespace taskledger::tencent
