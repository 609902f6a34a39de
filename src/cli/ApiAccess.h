#pragma once
// The flags and the network of the commands that ask DescribeTaskStatus (`run`, `wait`): where
// the API is, whom to trust, which proxy, whose credentials. One place, so both commands read
// the same flags the same way.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "AccountOptions.h"
#include "CommandLine.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/HttpsClientOptions.h"

namespace taskledger::cli {

struct ApiFlags {
  std::string endpoint, endpoint_mode = "regional", ca_file, proxy;
  std::vector<std::string> resolve;
  AccountFlags account;
};

// Adds --endpoint, --endpoint-mode, --resolve, --ca-file, --proxy and the account flags.
void addApiOptions(po::options_description& options, ApiFlags& flags);
// Adds --proxy alone (`discover`, which reads CloudAudit rather than the CLB API).
void addProxyOption(po::options_description& options, std::string& proxy);

// What the flags come to, checked before any work is done (Error::usage naming the flag).
struct ApiAccess {
  tencent::EndpointResolver endpoints;
  tencent::ChainRequest chain;
  tencent::HttpsClientOptions client;
  std::string profile;  // --profile, else TCCLI_PROFILE, else "default"
};

// This machine's name, for the run record of `run` and `wait`.
std::string thisHost();

// `timeout` bounds each request; `clock` times temporary keys and must outlive what is made here.
ApiAccess apiAccess(const ApiFlags& flags, const std::string& profile_flag, Millis timeout, const Clock& clock);

// The access of another profile of the same run (runProfiles): the same endpoints and network,
// that profile's credentials. The environment's keys and --cvm-role are the default profile's
// (the machine's own account), so they take no part here.
ApiAccess profileAccess(const ApiFlags& flags, const std::string& profile, Millis timeout, const Clock& clock);

// The port the scheduler asks through, with the profile's credentials (loaded now: may throw
// taskledger::Error, 77 when refused). `on_credentials(source, warnings)` is told where they came
// from. At most `threads` requests in flight.
std::shared_ptr<TaskStatusApi> makeTaskStatusApi(
    const ApiAccess& access, std::size_t threads,
    const std::function<void(const std::string& source, const std::vector<std::string>& warnings)>& on_credentials);

}  // namespace taskledger::cli
