#pragma once
// CloudAudit's DescribeEvents over HTTPS (API.md "CloudAudit"): one blocking ApiCaller call per
// page, signed afresh with TC3 for each attempt, bounded as a whole by the client's timeout and
// ended by a stop signal (BoundedCall). Host "cloudaudit.<root domain>"; --resolve,
// --ca-file and --proxy apply as for the CLB hosts; the connection is kept alive between pages.
#include <memory>
#include <string>
#include <vector>

#include "taskledger/domain/AuditEventSource.h"
#include "taskledger/domain/Time.h"
#include "taskledger/tencent/ApiCaller.h"
#include "taskledger/tencent/CredentialProvider.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

ApiSpec cloudAuditDescribeEvents();

// The region every DescribeEvents is sent with (X-TC-Region: the API requires it; events of every
// region come back whichever is sent).
inline constexpr const char* kDefaultAuditRegion = "ap-guangzhou";

struct CloudAuditOptions {
  std::string root_domain = "tencentcloudapi.com";
  std::string region = kDefaultAuditRegion;  // --audit-region, INI audit_region
  std::vector<std::string> resolve;  // --resolve HOST:ADDR[:PORT] entries
  HttpsClientOptions client;         // timeout, --ca-file, --proxy, as for the run
};

class CloudAuditClient final : public AuditEventSource {
 public:
  // Throws Error::usage for a bad --root-domain, --resolve or --ca-file, and for an --audit-region
  // that is no region, or that the international site (intl.tencentcloudapi.com) does not serve.
  CloudAuditClient(CredentialProvider& credentials, const CloudAuditOptions& options);
  CloudAuditClient(const CloudAuditClient&) = delete;
  CloudAuditClient& operator=(const CloudAuditClient&) = delete;

  AuditAnswer describeEvents(const AuditQuery& query) override;
  std::string host() const override { return endpoint_.host_header; }

  // The JSON body of a query, exactly as signed and sent.
  static std::string requestBody(const AuditQuery& query);

 private:
  CredentialProvider& credentials_;
  Endpoint endpoint_;
  std::string region_;
  Millis timeout_;  // each page's total deadline, connect to last byte
  ApiCaller caller_;
};

}  // namespace taskledger::tencent
