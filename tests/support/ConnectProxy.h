#pragma once
// A small HTTP proxy that only tunnels (CONNECT), on 127.0.0.1, for the client's proxy tests. It
// records each CONNECT target and the credentials it was given, and can demand Basic credentials.
// It only ever connects to 127.0.0.1, whatever name it is asked for (with the port asked for), so
// a test can name a real host and still stay on loopback.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>

namespace taskledger::testing {

class ConnectProxy {
 public:
  // `user_pass`: "user:pass" required (407 otherwise); empty: no credentials needed.
  explicit ConnectProxy(std::string user_pass = "");
  ~ConnectProxy();
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  int port() const { return listener_.address().port(); }
  std::vector<std::string> targets() const;         // "host:port" of every CONNECT, in order
  std::vector<std::string> authorizations() const;  // the decoded "user:pass" of each, or ""

 private:
  void serve(Poco::Net::StreamSocket client);

  std::string user_pass_;
  Poco::Net::ServerSocket listener_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> tunnels_;  // protected by mutex_
  std::vector<std::string> targets_, authorizations_;  // protected by mutex_
};

}  // namespace taskledger::testing
