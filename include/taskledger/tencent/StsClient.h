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
};

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

  std::string host() const { return access_.endpoints.serviceHost("sts"); }

 private:
  ServiceAccess access_;
  std::unique_ptr<ApiCaller> caller_;  // thread-safe; a pointer so that assumeRole() stays const
};

}  // namespace taskledger::tencent
