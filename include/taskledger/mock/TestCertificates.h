#pragma once
// A private CA and a server certificate signed by it, made in-process with OpenSSL (EC P-256), so
// tests need no script and nothing is ever committed. scripts/gen-certs.sh makes the same files
// with the openssl command for the demo and the benchmarks.
#include <string>
#include <vector>

namespace taskledger::mock {

struct TestCertificates {
  std::string ca_cert;      // <dir>/ca.pem: give it to the client as --ca-file
  std::string ca_key;       // <dir>/ca.key
  std::string server_cert;  // <dir>/server.pem
  std::string server_key;   // <dir>/server.key
};

// Writes the four files into `dir` (created if missing). The server certificate's
// subjectAltName holds IP 127.0.0.1, DNS localhost, and each of `extra_hosts`
// (e.g. "clb.ap-guangzhou.tencentcloudapi.com"). Idempotent: existing files whose server
// certificate already names every host are kept. Valid from one day ago for 30 days.
// Throws taskledger::Error on failure.
TestCertificates generateTestCertificates(const std::string& dir,
                                          const std::vector<std::string>& extra_hosts = {});

// The regional CLB hosts tests reach with --resolve, for convenience.
std::vector<std::string> regionalHosts(const std::vector<std::string>& regions);

}  // namespace taskledger::mock
