#pragma once
// Finds the API credentials where users already keep them (API.md "Credentials").
//
// Order of precedence, first match wins:
//   1. The environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, with the optional
//      TENCENTCLOUD_TOKEN (tccli), TENCENTCLOUD_SECURITY_TOKEN (Terraform) or
//      TENCENTCLOUD_SESSION_TOKEN (Node.js SDK) for temporary keys.
//      Skipped when a profile was named explicitly (--profile): a profile names an account, and the
//      ledger's tasks belong to it, so ambient variables must not override that choice.
//   2. tccli's file ~/.tccli/<profile>.credential: JSON {"secretId", "secretKey", "token"?}.
//      With "type": "cvm-role" (tccli configure set use-cvm-role true) the file names the CVM
//      instance role as the source and any keys in it are NOT used; with "role-arn" and
//      "role-session-name" its keys are the ones to assume that role with. With "type": "oauth" or
//      "sso" (tccli auth login) its keys are temporary until "expiresAt" (Unix seconds): keys past
//      it are refused with a message saying to log in with tccli again.
//   3. The SDKs' INI files, section [<profile>] with secret_id, secret_key and an optional token:
//      the file named by TENCENTCLOUD_CREDENTIALS_FILE (the Go SDK reads it instead of the
//      defaults, so it comes first), ~/.tencentcloud/credentials, /etc/tencentcloud/credentials.
// TENCENTCLOUD_ROLE_ARN with TENCENTCLOUD_ROLE_SESSION_NAME, or Terraform's
// TENCENTCLOUD_ASSUME_ROLE_ARN with _SESSION_NAME (and the optional _SESSION_DURATION seconds and
// _EXTERNAL_ID), like the keys for the default profile only, name a role to assume with the keys
// found, overriding the tccli file's.
// The profile is the --profile value, else TCCLI_PROFILE, else "default".
// The temporary sources (STS, the CVM role) are CredentialChain's: this finds what is on disk.
//
// Errors: nothing found throws Error (runtime) naming every place looked at; a file that exists
// but cannot be read or parsed, or lacks a field, throws naming that file. Exactly one of
// SECRET_ID/SECRET_KEY set is an error too. No message ever contains a secret key or token.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

// A credential file is a few hundred bytes; one far larger (or endless, as /dev/zero) is refused.
inline constexpr std::size_t kMaxCredentialFileBytes = 64 * 1024;

struct CredentialLookup {
  std::optional<std::string> profile;  // --profile, when given on the command line
  // Environment lookup; nullopt when unset. An empty value counts as unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string home;  // the home directory; empty: no files are looked at
  std::string system_file = "/etc/tencentcloud/credentials";  // empty: not looked at
  std::function<TimePoint()> now;  // to judge an oauth/sso file's expiresAt; empty: the system clock
};

struct LoadedCredentials {
  Credentials credentials;
  std::string profile;  // the profile in effect
  std::string source;   // where they came from, for the log: "environment" or a file path
  // For the caller to print: e.g. a credential file readable by group or others.
  std::vector<std::string> warnings;
  // A role to assume with `credentials` (environment or tccli file); empty: use them as they are.
  std::string role_arn;
  std::string role_session_name;
  int role_duration_seconds = 7200;  // DurationSeconds of the AssumeRole call
  std::string role_external_id;      // STS ExternalId; empty: not sent
  // An oauth/sso tccli file's expiresAt: the keys are temporary and die then.
  std::optional<TimePoint> expires_at;
  // The tccli file says "type": "cvm-role": the instance role is the source; `credentials` is empty.
  bool cvm_role = false;
};

// What the environment and the files hold; nullopt when nothing, with every place looked at
// appended to `looked`. Throws as described above for broken files and half-set variables.
std::optional<LoadedCredentials> findCredentials(const CredentialLookup& lookup, std::vector<std::string>& looked);

// findCredentials, throwing Error (runtime) naming every place looked at when nothing is found.
LoadedCredentials loadCredentials(const CredentialLookup& lookup);

// The profile in effect: --profile, else TCCLI_PROFILE, else "default". Throws Error::usage for a
// name that could escape the credential directory.
std::string chooseProfile(const CredentialLookup& lookup);

// The whole of a small file (at most kMaxCredentialFileBytes, a regular file), e.g. a pod's OIDC
// token. Throws Error (runtime) naming the file when it is missing, too large or not a file.
std::string readCredentialFile(const std::string& path);

// The lookup of the real process: ::getenv and $HOME (else the passwd entry).
CredentialLookup processCredentialLookup(std::optional<std::string> profile);

}  // namespace taskledger::tencent
