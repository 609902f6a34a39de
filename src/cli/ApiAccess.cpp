#include "ApiAccess.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/CredentialChain.h"
#include "taskledger/tencent/Proxy.h"
#include "taskledger/tencent/TaskStatusClient.h"

namespace taskledger::cli {
namespace {

// A caller (trust, proxy, kept-alive sessions), the keys, and the port on top, owned together.
struct Network {
  Network(tencent::HttpsClientOptions options, std::shared_ptr<tencent::CredentialProvider> keys,
          const tencent::EndpointResolver& endpoints, std::size_t threads)
      : caller(std::move(options)), credentials(std::move(keys)), api(caller, *credentials, endpoints, threads) {}
  tencent::ApiCaller caller;
  std::shared_ptr<tencent::CredentialProvider> credentials;
  tencent::TaskStatusClient api;
};

// A directory or an empty file would otherwise surface as "no such file" from the TLS library.
void checkCaFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error::usage("--ca-file: cannot read '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error::usage("--ca-file: '" + path + "' is a directory; name a PEM file");
  if (!S_ISREG(st.st_mode)) throw Error::usage("--ca-file: '" + path + "' is not a regular file");
  if (st.st_size == 0) throw Error::usage("--ca-file: '" + path + "' is empty; it should hold PEM certificates");
  if (::access(path.c_str(), R_OK) != 0) throw Error::usage("--ca-file: cannot read '" + path + "': " + std::strerror(errno));
}

}  // namespace

void addApiOptions(po::options_description& options, ApiFlags& flags) {
  options.add_options()
      ("endpoint", po::value(&flags.endpoint)->value_name("URL"), "send every request to this URL (private deployments)")
      ("endpoint-mode", po::value(&flags.endpoint_mode)->default_value("regional")->value_name("M"), "regional (each region's host) or nearest (clb.tencentcloudapi.com; finance regions keep theirs)")
      ("resolve", po::value(&flags.resolve)->composing()->value_name("HOST:ADDR[:PORT]"), "connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&flags.ca_file)->value_name("PEM"), "trust these CA certificates instead of the system store");
  addProxyOption(options, flags.proxy);
  addAccountOptions(options, flags.account);
}

void addProxyOption(po::options_description& options, std::string& proxy) {
  options.add_options()
      ("proxy", po::value(&proxy)->value_name("URL"), "tunnel HTTPS through this HTTP proxy, http://[USER:PASS@]HOST[:PORT] (default: HTTPS_PROXY, NO_PROXY)");
}

std::string thisHost() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

ApiAccess apiAccess(const ApiFlags& flags, const std::string& profile_flag, Millis timeout, const Clock& clock) {
  if (!flags.ca_file.empty()) checkCaFile(flags.ca_file);
  std::optional<std::string> profile;
  if (!profile_flag.empty()) profile = profile_flag;
  ApiAccess a{tencent::EndpointResolver::fromFlags("clb", flags.endpoint_mode, flags.endpoint, flags.resolve,
                                                   rootDomain(flags.account)),
              chainRequest(flags.account, profile, flags.resolve, flags.ca_file, timeout, clock),
              {},
              ""};
  a.profile = tencent::chooseProfile(a.chain.lookup);
  a.client.timeout = timeout;
  a.client.ca_file = flags.ca_file;
  a.client.proxy = tencent::proxyFromSettings(flags.proxy, a.chain.lookup.getenv);
  a.chain.access.proxy = a.client.proxy;  // STS AssumeRole goes the way the run's requests go
  a.client.language = flags.account.language;
  return a;
}

ApiAccess profileAccess(const ApiFlags& flags, const std::string& profile, Millis timeout, const Clock& clock) {
  ApiFlags theirs = flags;
  theirs.account.cvm_role.clear();
  // A named profile skips the environment's keys (CredentialSource.h).
  return apiAccess(theirs, profile, timeout, clock);
}

std::shared_ptr<TaskStatusApi> makeTaskStatusApi(
    const ApiAccess& access, std::size_t threads,
    const std::function<void(const std::string&, const std::vector<std::string>&)>& on_credentials) {
  auto creds = tencent::chooseCredentials(access.chain);
  if (on_credentials) on_credentials(creds.source, creds.warnings);
  auto network = std::make_shared<Network>(access.client, creds.provider, access.endpoints, threads);
  return std::shared_ptr<TaskStatusApi>(network, &network->api);
}

}  // namespace taskledger::cli
