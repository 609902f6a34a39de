#pragma once
// The SDKs' credential chain (API.md "Credentials"), first source that yields keys wins:
//   1. --cvm-role NAME: the user said which source; nothing else is looked at.
//   2. the environment's keys (default profile only), then the profile's files (CredentialSource.h);
//      when a role to assume is named (TENCENTCLOUD_ROLE_ARN + TENCENTCLOUD_ROLE_SESSION_NAME, or
//      role-arn/role-session-name in the tccli file) those keys sign STS AssumeRole calls and
//      the role's temporary keys are the credentials.
//   3. a tccli file with "type": "cvm-role", or nothing found at all: the CVM instance role from
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
};

// Throws taskledger::Error: exit 77 when a source refuses (STS AuthFailure, role not bound), 1 when
// nothing is found (naming every place looked at) or a source cannot be reached, 2 for bad names.
CredentialChoice chooseCredentials(const ChainRequest& request);

}  // namespace taskledger::tencent
