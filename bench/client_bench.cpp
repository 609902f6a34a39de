// The API client's cost: the same number of checks over one kept-alive connection, then with a
// fresh connection (TCP + TLS handshake) per request. Run by bench/client.sh against the local
// endpoint; prints one line per mode. Credentials come from the environment, as for `run`.
//
//   client_bench --endpoint https://127.0.0.1:PORT --ca-file ca.pem [--count N] [--region R]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/TaskStatusClient.h"

namespace {

using namespace taskledger;
using namespace taskledger::tencent;

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Figures {
  double checks_per_s = 0;
};

Figures runMode(ApiCaller& caller, const Credentials& keys, const EndpointResolver& endpoints, const std::string& name,
                int count, const std::string& region) {
  int ok = 0;
  std::map<std::string, int> errors;
  const double cpu0 = cpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const CheckResult r = describeTaskStatus(caller, keys, endpoints, {region, "0b5e3e8e-6a55-4d1e-9f0a-5d2f3c4b5a60"});
    if (r.ok()) {
      ++ok;
    } else {
      ++errors[r.error().code];
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpuSeconds() - cpu0;
  Figures f{count / wall};
  std::printf("%-10s checks=%d ok=%d connections=%llu wall=%.3fs checks/s=%.0f client_cpu/check=%.1fus\n",
              name.c_str(), count, ok, static_cast<unsigned long long>(caller.connectionsOpened()), wall,
              f.checks_per_s, cpu / count * 1e6);
  for (const auto& [code, n] : errors) std::printf("           error %s: %d\n", code.c_str(), n);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags{{"count", "5000"}, {"region", "ap-guangzhou"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name.rfind("--", 0) != 0) {
      std::cerr << "client_bench: unexpected " << name << "\n";
      return 2;
    }
    flags[name.substr(2)] = argv[i + 1];
  }
  try {
    const int count = std::stoi(flags["count"]);
    if (count <= 0 || flags["endpoint"].empty()) throw Error::usage("give --endpoint URL and a positive --count");
    const LoadedCredentials creds = loadCredentials(processCredentialLookup(std::nullopt));
    HttpsClientOptions options;
    options.ca_file = flags["ca-file"];
    const auto endpoints = EndpointResolver::fromFlags(clbDescribeTaskStatus().service, "", flags["endpoint"], {});
    ApiCaller keep_alive(options);
    options.keep_alive = false;
    ApiCaller fresh(options);

    const Credentials& keys = creds.credentials;
    runMode(keep_alive, keys, endpoints, "warm-up", std::min(count / 10 + 1, 200), flags["region"]);
    const std::uint64_t warm_connections = keep_alive.connectionsOpened();
    const Figures k = runMode(keep_alive, keys, endpoints, "keep-alive", count, flags["region"]);
    if (keep_alive.connectionsOpened() != warm_connections) std::printf("note: the kept-alive run opened new connections\n");
    const Figures f = runMode(fresh, keys, endpoints, "fresh", count, flags["region"]);
    std::printf("keep-alive / fresh = %.1fx\n", k.checks_per_s / f.checks_per_s);
    return 0;
  } catch (const Error& e) {
    std::cerr << "client_bench: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "client_bench: " << e.what() << "\n";
    return 1;
  }
}
