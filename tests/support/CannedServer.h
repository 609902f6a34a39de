#pragma once
// A server on 127.0.0.1 that gives every request the same answer, for the hostile-server tests:
// an STS, metadata service or CloudAudit that says something a client must not pass on as it is
// (a 50 KB message, terminal escapes). HTTPS with the given certificate, or plain HTTP (the
// metadata service) when none is given.
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace taskledger::testing {

struct CannedAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

class CannedServer {
 public:
  // Plain HTTP when cert_file is empty. Serves until destroyed.
  explicit CannedServer(CannedAnswer answer, const std::string& cert_file = "", const std::string& key_file = "");
  ~CannedServer();
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  int port() const { return port_; }

 private:
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

}  // namespace taskledger::testing
