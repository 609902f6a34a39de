#pragma once
// The flags that say whose credentials to use and how to reach Tencent's services besides the
// polled API (STS, the CVM metadata service), shared by `run` and `credentials`.
#include <optional>
#include <string>
#include <vector>

#include "CommandLine.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/tencent/CredentialChain.h"

namespace taskledger::cli {

struct AccountFlags {
  std::string cvm_role;     // --cvm-role NAME
  std::string root_domain;  // --root-domain D (INI root-domain); empty: TENCENTCLOUD_DOMAIN, else the public one
  std::string language;     // --language en-US|zh-CN; empty: not sent
};

// Adds --cvm-role, --root-domain and --language to `options`, bound to `flags`.
void addAccountOptions(po::options_description& options, AccountFlags& flags);

// The root domain in effect: --root-domain (or the INI file's), else TENCENTCLOUD_DOMAIN, else "".
std::string rootDomain(const AccountFlags& flags);

// Everything the credential chain needs: the process's environment and home, the --resolve,
// --ca-file and --timeout values, and the clock the temporary keys are timed by (outlives them).
// Throws Error::usage for a bad --language, --root-domain or --resolve.
tencent::ChainRequest chainRequest(const AccountFlags& flags, const std::optional<std::string>& profile,
                                   const std::vector<std::string>& resolve, const std::string& ca_file, Millis timeout,
                                   const Clock& clock);

}  // namespace taskledger::cli
