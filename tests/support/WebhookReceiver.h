#pragma once
// A chat robot's webhook on 127.0.0.1 for tests of report --notify: an HTTPS server with the
// project's test certificates (mock::generateTestCertificates) whose server certificate also
// names the platforms' hosts, so the client reaches it with --resolve HOST:127.0.0.1:PORT and
// --ca-file, verifying the real name. It records every POST and answers what the test says.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace taskledger::testing {

struct ReceivedPost {
  std::string uri;  // path and query as sent
  std::string host;  // the Host header
  std::string content_type;
  std::string body;
};

class WebhookReceiver {
 public:
  // Certificates are written into `cert_dir`; they name `hosts` besides 127.0.0.1.
  WebhookReceiver(const std::string& cert_dir, const std::vector<std::string>& hosts);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // What every later POST is answered with.
  void answer(int status, std::string body);
  // Held: every POST waits, unanswered, until released (or the receiver ends): a robot that
  // never answers.
  void hold(bool held);
  int port() const;
  const std::string& caFile() const { return ca_file_; }
  std::vector<ReceivedPost> posts() const;

  struct State;

 private:
  std::string ca_file_;
  std::shared_ptr<State> state_;
  struct Server;
  std::unique_ptr<Server> server_;
};

}  // namespace taskledger::testing
