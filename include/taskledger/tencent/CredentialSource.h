#pragma once
// Finds the API credentials where users already keep them (API.md "Credentials").
//
// Order of precedence, first match wins:
//   1. The environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, with the optional
//      TENCENTCLOUD_TOKEN (tccli) or TENCENTCLOUD_SECURITY_TOKEN (Terraform) for temporary keys.
//      Skipped when a profile was named explicitly (--profile): a profile names an account, and the
//      ledger's tasks belong to it, so ambient variables must not override that choice.
//   2. tccli's file ~/.tccli/<profile>.credential: JSON {"secretId", "secretKey", "token"?}.
//   3. The SDKs' INI file ~/.tencentcloud/credentials: section [<profile>] with secret_id,
//      secret_key and an optional token.
// The profile is the --profile value, else TCCLI_PROFILE, else "default".
//
// Errors: nothing found throws Error (runtime) naming every place looked at; a file that exists
// but cannot be read or parsed, or lacks a field, throws naming that file. Exactly one of
// SECRET_ID/SECRET_KEY set is an error too. No message ever contains a secret key or token.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

struct CredentialLookup {
  std::optional<std::string> profile;  // --profile, when given on the command line
  // Environment lookup; nullopt when unset. An empty value counts as unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string home;  // the home directory; empty: no files are looked at
};

struct LoadedCredentials {
  Credentials credentials;
  std::string profile;  // the profile in effect
  std::string source;   // where they came from, for the log: "environment" or a file path
  // For the caller to print: e.g. a credential file readable by group or others.
  std::vector<std::string> warnings;
};

LoadedCredentials loadCredentials(const CredentialLookup& lookup);

// The lookup of the real process: ::getenv and $HOME (else the passwd entry).
CredentialLookup processCredentialLookup(std::optional<std::string> profile);

}  // namespace taskledger::tencent
