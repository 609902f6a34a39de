#include "taskledger/tencent/CredentialChain.h"

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/MetadataClient.h"
#include "taskledger/tencent/StsClient.h"

namespace taskledger::tencent {
namespace {

constexpr const char* kEnvCamRoleName = "TENCENTCLOUD_CAM_ROLE_NAME";

CredentialChoice temporary(CredentialChoice choice, std::string identity, RefreshingCredentialProvider::Fetch fetch,
                           const Clock& clock) {
  auto provider = std::make_shared<RefreshingCredentialProvider>(std::move(identity), std::move(fetch), clock);
  provider->current();  // the first keys now: a run that cannot have any must not start
  choice.provider = provider;
  choice.temporary = std::move(provider);
  return choice;
}

CredentialChoice cvmRole(CredentialChoice choice, std::optional<std::string> role, const ChainRequest& request) {
  auto metadata = std::make_shared<MetadataClient>(request.access);
  const std::string name = role ? *role : metadata->roleName();
  choice.source = "CVM role " + name + " (" + MetadataClient::kHost + ")";
  return temporary(std::move(choice), "cvm-role:" + name, [metadata, name] { return metadata->roleCredentials(name); },
                   *request.clock);
}

CredentialChoice assumedRole(CredentialChoice choice, const LoadedCredentials& found, const ChainRequest& request) {
  auto sts = std::make_shared<StsClient>(request.access);
  const AssumeRoleRequest assume{found.role_arn, found.role_session_name};
  const Credentials keys = found.credentials;
  const Clock* clock = request.clock;
  choice.source = "STS AssumeRole " + found.role_arn + " at " + sts->host() + " (keys from " + found.source + ")";
  // The role is who Tencent counts, whichever temporary SecretId it hands out.
  return temporary(std::move(choice), "role:" + found.role_arn,
                   [sts, assume, keys, clock] { return sts->assumeRole(keys, assume, clock->now()); }, *clock);
}

}  // namespace

CredentialChoice chooseCredentials(const ChainRequest& request) {
  if (request.clock == nullptr) throw Error::runtime("credential chain: no clock");
  CredentialChoice choice;
  choice.profile = chooseProfile(request.lookup);
  if (request.cvm_role) return cvmRole(std::move(choice), request.cvm_role, request);

  std::vector<std::string> looked;
  if (auto found = findCredentials(request.lookup, looked)) {
    choice.warnings = found->warnings;
    if (found->cvm_role) {
      choice = cvmRole(std::move(choice), std::nullopt, request);
      choice.source += ", as " + found->source + " says";
      return choice;
    }
    if (!found->role_arn.empty()) return assumedRole(std::move(choice), *found, request);
    choice.source = found->source;
    choice.provider = std::make_shared<StaticCredentialProvider>(found->credentials);
    return choice;
  }

  // Nothing on disk or in the environment: the instance's own role, as the SDKs try last.
  std::optional<std::string> role;
  if (request.lookup.getenv) {
    if (auto name = request.lookup.getenv(kEnvCamRoleName); name && !name->empty()) role = *name;
  }
  try {
    return cvmRole(std::move(choice), role, request);
  } catch (const Error& e) {
    std::string message = "no credentials for profile '" + chooseProfile(request.lookup) + "'; looked in: ";
    for (const auto& place : looked) message += place + ", ";
    throw Error(e.code(), message + "and " + e.what());
  }
}

}  // namespace taskledger::tencent
