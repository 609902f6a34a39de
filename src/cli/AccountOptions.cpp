#include "AccountOptions.h"

#include <cstdlib>

#include "taskledger/domain/Error.h"

namespace taskledger::cli {

void addAccountOptions(po::options_description& options, AccountFlags& flags) {
  options.add_options()
      ("cvm-role", po::value(&flags.cvm_role)->value_name("NAME"), "use this CVM instance role's temporary keys (from the metadata service)")
      ("root-domain", po::value(&flags.root_domain)->value_name("D"), "API root domain, e.g. internal.tencentcloudapi.com inside a VPC (env TENCENTCLOUD_DOMAIN; default tencentcloudapi.com)")
      ("language", po::value(&flags.language)->value_name("L"), "language of Tencent's messages: en-US or zh-CN");
}

std::string rootDomain(const AccountFlags& flags) {
  if (!flags.root_domain.empty()) return flags.root_domain;
  const char* env = std::getenv("TENCENTCLOUD_DOMAIN");
  return env ? env : "";
}

tencent::ChainRequest chainRequest(const AccountFlags& flags, const std::optional<std::string>& profile,
                                   const std::vector<std::string>& resolve, const std::string& ca_file, Millis timeout,
                                   const Clock& clock) {
  if (!flags.language.empty() && flags.language != "en-US" && flags.language != "zh-CN") {
    throw Error::usage("--language '" + flags.language + "': expected en-US or zh-CN");
  }
  tencent::ChainRequest request;
  request.lookup = tencent::processCredentialLookup(profile);
  if (!flags.cvm_role.empty()) request.cvm_role = flags.cvm_role;
  request.access.endpoints = tencent::EndpointResolver::fromFlags("clb", "", "", resolve, rootDomain(flags));
  request.access.ca_file = ca_file;
  request.access.timeout = timeout;
  request.access.language = flags.language;
  if (auto region = request.lookup.getenv("TENCENTCLOUD_REGION"); region && !region->empty()) {
    request.access.region = *region;
  }
  request.clock = &clock;
  return request;
}

}  // namespace taskledger::cli
