#pragma once
// The taskledger-mock binary as a real server process for end-to-end tests: certificates made in
// a temporary directory, a free port, and the statistics it writes when stopped.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger::testing {

class MockEndpointProcess {
 public:
  static constexpr const char* kSecretId = "AKIDtaskledgerTEST0000000000000000";
  static constexpr const char* kSecretKey = "canary-SECRET-never-printed-42";
  // Also in the certificate, for discover (serve with --events).
  static constexpr const char* kCloudAuditHost = "cloudaudit.tencentcloudapi.com";
  // Also in the certificate, for STS AssumeRole and AssumeRoleWithWebIdentity.
  static constexpr const char* kStsHost = "sts.tencentcloudapi.com";

  // `regions`: each gets a certificate name clb.<region>.tencentcloudapi.com, reached with --resolve.
  MockEndpointProcess(const TempDir& dir, const std::vector<std::string>& regions,
                      const std::vector<std::string>& serve_args);
  ~MockEndpointProcess();

  int port() const { return port_; }
  std::string caFile() const { return ca_file_; }
  std::string logFile() const { return log_file_; }
  // run flags that reach this endpoint: --ca-file and one --resolve per region.
  std::vector<std::string> runFlags() const;
  // discover flags that reach this endpoint's CloudAudit: --ca-file and its --resolve.
  std::vector<std::string> discoverFlags() const;
  // --resolve flags that reach this endpoint's STS.
  std::vector<std::string> stsFlags() const;
  // Environment with the endpoint's credentials.
  std::map<std::string, std::string> credentialsEnv() const;
  // Stops the server (SIGTERM) and returns its statistics JSON.
  std::string stop();

 private:
  std::vector<std::string> regions_;
  std::string ca_file_, stats_file_, log_file_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

// Reads a whole file ("" when missing).
std::string readFile(const std::string& path);
// The integer value of "key": N in a flat-ish JSON text (first occurrence); -1 when absent.
long long jsonNumber(const std::string& json, const std::string& key);

}  // namespace taskledger::testing
