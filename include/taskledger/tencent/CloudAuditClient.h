#pragma once
// CloudAudit's DescribeEvents over HTTPS (API.md "CloudAudit"): one blocking Poco call per page,
// signed afresh with TC3 for each attempt. Host "cloudaudit.<root domain>"; --resolve and
// --ca-file apply as for the CLB hosts. One connection, kept alive between pages and opened again
// after any failure. Not thread-safe: one discover, one client.
#include <memory>
#include <string>
#include <vector>

#include "taskledger/domain/AuditEventSource.h"
#include "taskledger/domain/Time.h"
#include "taskledger/tencent/CredentialProvider.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

ApiSpec cloudAuditDescribeEvents();

struct CloudAuditOptions {
  std::string root_domain = "tencentcloudapi.com";
  std::vector<std::string> resolve;  // --resolve HOST:ADDR[:PORT] entries
  std::string ca_file;               // empty: the system store
  Millis timeout{10000};             // bounds the connect, the handshake and each send and read
};

class CloudAuditClient final : public AuditEventSource {
 public:
  // Throws Error::usage for a bad --root-domain, --resolve or --ca-file.
  CloudAuditClient(CredentialProvider& credentials, const CloudAuditOptions& options);
  ~CloudAuditClient() override;
  CloudAuditClient(const CloudAuditClient&) = delete;
  CloudAuditClient& operator=(const CloudAuditClient&) = delete;

  AuditAnswer describeEvents(const AuditQuery& query) override;
  std::string host() const override { return endpoint_.host_header; }

  // The JSON body of a query, exactly as signed and sent.
  static std::string requestBody(const AuditQuery& query);

 private:
  struct Connection;
  AuditAnswer call(const std::string& body);

  CredentialProvider& credentials_;
  Endpoint endpoint_;
  Millis timeout_;
  struct Trust;
  std::unique_ptr<Trust> trust_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace taskledger::tencent
