#include "taskledger/tencent/CredentialChain.h"

#include <Poco/String.h>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/MetadataClient.h"
#include "taskledger/tencent/StsClient.h"

namespace taskledger::tencent {
namespace {

constexpr const char* kEnvCamRoleName = "TENCENTCLOUD_CAM_ROLE_NAME";
constexpr const char* kEnvSecretId = "TENCENTCLOUD_SECRET_ID";
// A TKE pod's OIDC role: all four, or the pod has no role of its own.
constexpr const char* kEnvTkeRegion = "TKE_REGION";
constexpr const char* kEnvTkeProvider = "TKE_PROVIDER_ID";
constexpr const char* kEnvTkeTokenFile = "TKE_WEB_IDENTITY_TOKEN_FILE";
constexpr const char* kEnvTkeRoleArn = "TKE_ROLE_ARN";

std::optional<std::string> env(const CredentialLookup& lookup, const char* name) {
  if (!lookup.getenv) return std::nullopt;
  auto value = lookup.getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

struct PodRole {
  std::string region, provider_id, token_file, role_arn;
};

// The pod's role, like the environment's keys, belongs to the default profile, and the
// environment's keys, when set, come first.
std::optional<PodRole> podRoleOf(const CredentialLookup& lookup) {
  if (lookup.profile || env(lookup, kEnvSecretId)) return std::nullopt;
  auto region = env(lookup, kEnvTkeRegion);
  auto provider = env(lookup, kEnvTkeProvider);
  auto file = env(lookup, kEnvTkeTokenFile);
  auto arn = env(lookup, kEnvTkeRoleArn);
  if (!region || !provider || !file || !arn) return std::nullopt;
  return PodRole{*region, *provider, *file, *arn};
}

// Some TKE_* variables but not all: the pod's role is not used, and the user is told which are missing.
std::optional<std::string> partialPodRole(const CredentialLookup& lookup) {
  if (lookup.profile) return std::nullopt;
  std::string set, missing;
  for (const char* name : {kEnvTkeRegion, kEnvTkeProvider, kEnvTkeTokenFile, kEnvTkeRoleArn}) {
    (env(lookup, name) ? set : missing) += std::string(name) + " ";
  }
  if (set.empty() || missing.empty()) return std::nullopt;
  return "a TKE pod's role needs all four TKE_* variables; set: " + Poco::trim(set) + "; missing: " +
         Poco::trim(missing) + " (the pod's role is not used)";
}

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
  const AssumeRoleRequest assume{found.role_arn, found.role_session_name, found.role_duration_seconds,
                                 found.role_external_id};
  const Credentials keys = found.credentials;
  const Clock* clock = request.clock;
  choice.source = "STS AssumeRole " + found.role_arn + " at " + sts->host() + " (keys from " + found.source + ")";
  // The role is who Tencent counts, whichever temporary SecretId it hands out.
  return temporary(std::move(choice), "role:" + found.role_arn,
                   [sts, assume, keys, clock] { return sts->assumeRole(keys, assume, clock->now()); }, *clock);
}

CredentialChoice podRole(CredentialChoice choice, const PodRole& pod, const ChainRequest& request) {
  auto sts = std::make_shared<StsClient>(request.access);
  const Clock* clock = request.clock;
  choice.source = "TKE pod role " + pod.role_arn + " via STS AssumeRoleWithWebIdentity at " + sts->host() +
                  " (token from " + pod.token_file + ")";
  const std::string session = "taskledger-" + std::to_string(toUnixSeconds(clock->now()));
  return temporary(std::move(choice), "role:" + pod.role_arn,
                   [sts, pod, session, clock] {
                     // Read for every refresh: the kubelet replaces the token before it expires.
                     WebIdentityRequest call{pod.region, pod.provider_id,
                                             Poco::trim(readCredentialFile(pod.token_file)), pod.role_arn, session};
                     return sts->assumeRoleWithWebIdentity(call, clock->now());
                   },
                   *clock);
}

}  // namespace

CredentialChoice chooseCredentials(const ChainRequest& request_in) {
  if (request_in.clock == nullptr) throw Error::runtime("credential chain: no clock");
  ChainRequest request = request_in;
  if (!request.lookup.now) request.lookup.now = [clock = request.clock] { return clock->now(); };
  CredentialChoice choice;
  choice.profile = chooseProfile(request.lookup);
  if (request.cvm_role) return cvmRole(std::move(choice), request.cvm_role, request);
  if (auto pod = podRoleOf(request.lookup)) return podRole(std::move(choice), *pod, request);
  if (auto partial = partialPodRole(request.lookup)) choice.warnings.push_back(*partial);

  std::vector<std::string> looked;
  if (auto found = findCredentials(request.lookup, looked)) {
    choice.warnings.insert(choice.warnings.end(), found->warnings.begin(), found->warnings.end());
    if (found->cvm_role) {
      choice = cvmRole(std::move(choice), std::nullopt, request);
      choice.source += ", as " + found->source + " says";
      return choice;
    }
    if (!found->role_arn.empty()) return assumedRole(std::move(choice), *found, request);
    choice.source = found->source;
    choice.expires_at = found->expires_at;
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
