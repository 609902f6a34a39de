#pragma once
// The SDKs' credential chain (API.md "Credentials"), first source that yields keys wins:
//   1. --cvm-role NAME: the user said which source; nothing else is looked at.
//   2. the environment's keys (default profile only); when a role to assume is named
//      (TENCENTCLOUD_ROLE_ARN + TENCENTCLOUD_ROLE_SESSION_NAME, Terraform's
//      TENCENTCLOUD_ASSUME_ROLE_*, or role-arn/role-session-name in the tccli file) those keys sign
//      STS AssumeRole calls and the role's temporary keys are the credentials.
//   3. a TKE pod's own role (default profile only): when TKE_REGION, TKE_PROVIDER_ID,
//      TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are all set, STS AssumeRoleWithWebIdentity,
//      unsigned, with the token file read again at every refresh (the kubelet rotates it). Before
//      the files and the metadata service, which on a pod answers with the node's role.
//   4. the profile's files (CredentialSource.h), with a role to assume as in 2.
//   5. a tccli file with "type": "cvm-role", or nothing found at all: the CVM instance role from
//      the metadata service (its name from TENCENTCLOUD_CAM_ROLE_NAME, else as the service says);
//      off a CVM this fails within ServiceAccess::metadata_timeout and the error names every
//      place looked at.
// Temporary keys come from a RefreshingCredentialProvider. The first keys are fetched here, so a
// run that cannot get any says so before it starts.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Clock.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/RefreshingCredentialProvider.h"
#include "taskledger/tencent/ServiceAccess.h"

namespace taskledger::tencent {

struct ChainRequest {
  CredentialLookup lookup;
  std::optional<std::string> cvm_role;  // --cvm-role
  ServiceAccess access;
  const Clock* clock = nullptr;  // refresh times and signing times; outlives the provider
};

struct CredentialChoice {
  std::shared_ptr<CredentialProvider> provider;
  // The same provider when the keys are temporary (STS, CVM role): their expiry. Null otherwise.
  std::shared_ptr<RefreshingCredentialProvider> temporary;
  std::string profile;
  // Which source won, for the log and `taskledger credentials`: "environment", a file path,
  // "STS AssumeRole <arn> (keys from <where>)", "CVM role <name> (metadata.tencentyun.com)".
  std::string source;
  std::vector<std::string> warnings;
  // Static keys that die at a known time (a tccli oauth/sso file's expiresAt); nullopt otherwise.
  std::optional<TimePoint> expires_at;
};

// Throws taskledger::Error: exit 77 when a source refuses (STS AuthFailure, role not bound), 1 when
// nothing is found (naming every place looked at) or a source cannot be reached, 2 for bad names.
CredentialChoice chooseCredentials(const ChainRequest& request);

}  // namespace taskledger::tencent
