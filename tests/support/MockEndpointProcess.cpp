#include "support/MockEndpointProcess.h"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace taskledger::testing {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

long long jsonNumber(const std::string& json, const std::string& key) {
  auto pos = json.find("\"" + key + "\":");
  if (pos == std::string::npos) return -1;
  return std::stoll(json.substr(pos + key.size() + 3));
}

MockEndpointProcess::MockEndpointProcess(const TempDir& dir, const std::vector<std::string>& regions,
                                         const std::vector<std::string>& serve_args)
    : regions_(regions) {
  std::string certs = dir.file("certs");
  std::vector<std::string> cert_args{TASKLEDGER_MOCK_BINARY, "certs", certs};
  for (const auto& r : regions) cert_args.push_back("clb." + r + ".tencentcloudapi.com");
  cert_args.push_back(kCloudAuditHost);
  cert_args.push_back(kStsHost);
  auto made = runProcess(cert_args);
  if (made.exit_code != 0) throw std::runtime_error("taskledger-mock certs failed: " + made.err);
  ca_file_ = certs + "/ca.pem";
  stats_file_ = dir.file("mock-stats.json");
  log_file_ = dir.file("mock-answers.log");
  std::string port_file = dir.file("mock.port");
  std::vector<std::string> argv{TASKLEDGER_MOCK_BINARY, "serve",        "--cert",       certs + "/server.pem",
                                "--key",                certs + "/server.key", "--port-file", port_file,
                                "--stats-file",         stats_file_,    "--log-file",   log_file_,
                                "--secret-id",          kSecretId,      "--secret-key", kSecretKey};
  argv.insert(argv.end(), serve_args.begin(), serve_args.end());
  process_ = std::make_unique<BackgroundProcess>(argv, "", dir.file("mock.err"));
  // Polls for the port file the server writes once it listens (a child process, not fake time).
  for (int i = 0; i < 500 && port_ == 0; ++i) {
    std::ifstream in(port_file);
    int p = 0;
    if (in >> p && p > 0) {
      port_ = p;
      break;
    }
    if (process_->wait(0)) throw std::runtime_error("taskledger-mock exited: " + readFile(dir.file("mock.err")));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) throw std::runtime_error("taskledger-mock did not start");
}

MockEndpointProcess::~MockEndpointProcess() = default;

std::vector<std::string> MockEndpointProcess::runFlags() const {
  std::vector<std::string> flags{"--ca-file", ca_file_};
  for (const auto& r : regions_) {
    flags.push_back("--resolve");
    flags.push_back("clb." + r + ".tencentcloudapi.com:127.0.0.1:" + std::to_string(port_));
  }
  return flags;
}

std::vector<std::string> MockEndpointProcess::discoverFlags() const {
  return {"--ca-file", ca_file_, "--resolve", std::string(kCloudAuditHost) + ":127.0.0.1:" + std::to_string(port_)};
}

std::vector<std::string> MockEndpointProcess::stsFlags() const {
  return {"--resolve", std::string(kStsHost) + ":127.0.0.1:" + std::to_string(port_)};
}

std::map<std::string, std::string> MockEndpointProcess::credentialsEnv() const {
  return {{"TENCENTCLOUD_SECRET_ID", kSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSecretKey}, {"HOME", "/nonexistent"}};
}

std::string MockEndpointProcess::stop() {
  process_->signal(SIGTERM);
  process_->wait(10'000);
  return readFile(stats_file_);
}

}  // namespace taskledger::testing
