#include <iostream>

#include "AccountOptions.h"
#include "ApiAccess.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StopSignals.h"
#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Text.h"
#include "taskledger/tencent/Proxy.h"

namespace taskledger::cli {
namespace {

// Enough to tell keys apart in a console or a ticket; the rest of a SecretId stays private.
constexpr std::size_t kSecretIdShown = 8;

}  // namespace

int credentialsCommand(const Args& args) {
  CommandSpec spec{
      "credentials", "credentials [--profile P] [options]",
      "Say which credentials a run would use: the source, the SecretId's first 8 characters, and when temporary keys expire.",
      "Looks where `run` looks, in the SDKs' order: the environment (default profile), a role to assume\n"
      "with STS (TENCENTCLOUD_ROLE_ARN + TENCENTCLOUD_ROLE_SESSION_NAME, or role-arn/role-session-name\n"
      "in the tccli file), a TKE pod's own role (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE,\n"
      "TKE_ROLE_ARN: STS AssumeRoleWithWebIdentity), the profile's files (~/.tccli/<profile>.credential, TENCENTCLOUD_CREDENTIALS_FILE,\n"
      "~/.tencentcloud/credentials, /etc/tencentcloud/credentials), then the CVM instance role from the\n"
      "metadata service. Temporary keys are fetched once, to show they work. The key is never printed.\n"
      "Exit: 0 found, 1 none found or a source unreachable, 77 refused.",
      "  taskledger credentials --profile prod\n"
      "  taskledger credentials --cvm-role taskledger-poller"};
  std::string profile_flag, ca_file, proxy;
  std::vector<std::string> resolve;
  AccountFlags account;
  po::options_description options("Options");
  options.add_options()
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile (default: TCCLI_PROFILE or default)")
      ("resolve", po::value(&resolve)->composing()->value_name("HOST:ADDR[:PORT]"), "connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&ca_file)->value_name("PEM"), "trust these CA certificates instead of the system store")
      ("timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "the longest an STS call may take, connect to last byte");
  addAccountOptions(options, account);
  addProxyOption(options, proxy);
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  // Before any thread starts; SIGINT/SIGTERM end every outbound call from here on.
  StopSignals stop_signals;
  std::optional<std::string> profile;
  if (!profile_flag.empty()) profile = profile_flag;

  SystemClock clock;
  tencent::ChainRequest request =
      chainRequest(account, profile, resolve, ca_file, durationFlag(parsed.vm, "timeout"), clock);
  request.access.proxy = tencent::proxyFromSettings(proxy, request.lookup.getenv);  // as the run's STS calls
  const auto choice = tencent::chooseCredentials(request);
  for (const auto& w : choice.warnings) std::cerr << "taskledger credentials: warning: " << escapeForTerminal(w) << "\n";
  const std::string secret_id = choice.provider->current().secret_id;
  // The source names files and roles from the environment; the SecretId's start comes from a file.
  std::cout << "profile:    " << escapeForTerminal(choice.profile) << "\n"
            << "source:     " << escapeForTerminal(choice.source) << "\n"
            << "secret id:  " << escapeForTerminal(secret_id.substr(0, kSecretIdShown)) << "... (first " << kSecretIdShown
            << " characters)\n"
            << "limits as:  "
            << escapeForTerminal(choice.temporary ? choice.provider->identity() : secret_id.substr(0, kSecretIdShown) + "...")
            << "\n";
  if (choice.temporary) {
    const TimePoint expires = choice.temporary->expiresAt().value_or(clock.now());
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(expires - clock.now());
    std::cout << "expires:    " << formatHuman(expires, false) << " (in " << formatDuration(std::max<Millis>(left, Millis(0)))
              << "; renewed in memory before then)\n";
  } else if (choice.expires_at) {
    std::cout << "expires:    " << formatHuman(*choice.expires_at, false) << " (tccli renews these keys; after then, log in with tccli again)\n";
  } else {
    std::cout << "expires:    never (long-term keys)\n";
  }
  return 0;
}

}  // namespace taskledger::cli
