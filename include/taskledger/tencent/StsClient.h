#pragma once
// STS AssumeRole (API.md "Credentials"): long-term keys in, temporary keys of a role out.
// POST to https://sts.<root domain>/ (service sts, Version 2018-08-13), signed with the keys given
// (and their token, if they are temporary themselves), through ApiCaller: --resolve, --ca-file and
// --proxy as for every Tencent API.
#include <memory>
#include <string>

#include "taskledger/tencent/ApiCaller.h"
#include "taskledger/tencent/RefreshingCredentialProvider.h"
#include "taskledger/tencent/ServiceAccess.h"

namespace taskledger::tencent {

struct AssumeRoleRequest {
  std::string role_arn;      // qcs::cam::uin/<uin>:roleName/<name>
  std::string session_name;  // RoleSessionName
  int duration_seconds = 7200;  // the SDKs' default; STS allows up to 43200
  std::string external_id;      // ExternalId, for roles whose trust policy names one; empty: not sent
};

// A TKE pod's own role (OIDC): STS AssumeRoleWithWebIdentity, unsigned (Authorization: SKIP).
struct WebIdentityRequest {
  std::string region;        // X-TC-Region: TKE_REGION
  std::string provider_id;   // ProviderId: TKE_PROVIDER_ID
  std::string token;         // WebIdentityToken: the token file's content, read for this call
  std::string role_arn;      // TKE_ROLE_ARN
  std::string session_name;  // RoleSessionName
  int duration_seconds = 7200;
};

// The keys of an AssumeRole or AssumeRoleWithWebIdentity answer body (the same shape). Throws
// taskledger::Error naming `where`: 77 when STS refused the keys or the token (AuthFailure.*,
// UnauthorizedOperation, InvalidParameter.WebIdentityTokenError), 1 for any other error or a
// body without the keys. Never quotes a key or token.
TemporaryCredentials stsAnswerKeys(const std::string& body, const std::string& where, const std::string& role_arn);

class StsClient {
 public:
  // Loads the trusted CAs once. Throws Error::usage naming --ca-file when they cannot be loaded.
  explicit StsClient(ServiceAccess access);
  ~StsClient();
  StsClient(const StsClient&) = delete;
  StsClient& operator=(const StsClient&) = delete;

  // One AssumeRole call signed at `now`, bounded as a whole (connect to last byte) by the
  // access's timeout. Throws taskledger::Error: exit 77 when STS refuses the keys
  // (AuthFailure.*, UnauthorizedOperation), 130/143 when a stop signal ended it (CallRegistry), 1
  // for anything else, naming the host and the code; never a key or token.
  TemporaryCredentials assumeRole(const Credentials& keys, const AssumeRoleRequest& request, TimePoint now) const;

  // One AssumeRoleWithWebIdentity call at `now`, bounded and failing as assumeRole().
  TemporaryCredentials assumeRoleWithWebIdentity(const WebIdentityRequest& request, TimePoint now) const;

  std::string host() const { return access_.endpoints.serviceHost("sts"); }

 private:
  // One STS call; `keys` null: unsigned.
  TemporaryCredentials call(const ApiSpec& api, const std::string& payload, const std::string& region,
                            const Credentials* keys, const std::string& role_arn, TimePoint now) const;

  ServiceAccess access_;
  std::unique_ptr<ApiCaller> caller_;  // thread-safe; a pointer so that assumeRole() stays const
};

}  // namespace taskledger::tencent
