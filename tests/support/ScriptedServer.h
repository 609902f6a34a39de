#pragma once
// A small HTTP/1.1 server on 127.0.0.1, plain or TLS, whose every connection is played by the
// test's script: the stalled, trickling and endless servers that the total-deadline and signal
// tests point STS, the metadata service and CloudAudit at. Each connection has its own thread;
// the destructor ends them all (a script's send() and readRequest() fail once it is stopping).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

namespace taskledger::testing {

class ScriptedServer {
 public:
  class Connection {
   public:
    Connection(Poco::Net::StreamSocket socket, ScriptedServer& server);
    // The body of the next request (its head read and dropped); nullopt when the client has gone
    // or the server stops.
    std::optional<std::string> readRequest();
    // False when the client has gone or the server stops.
    bool send(const std::string& bytes);
    // Holds the connection open, sending nothing, until the client goes or the server stops.
    void hold();

   private:
    bool receiveSome();
    Poco::Net::StreamSocket socket_;
    ScriptedServer& server_;
    std::string buffer_;
  };
  using Script = std::function<void(Connection&)>;

  // Plain HTTP.
  explicit ScriptedServer(Script script);
  // HTTPS with this certificate and key (PEM files).
  ScriptedServer(const std::string& cert_file, const std::string& key_file, Script script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  bool stopping() const { return stopping_; }
  // Requests read so far (over every connection), and a wait for the count to reach n.
  int requests() const;
  bool waitForRequests(int n, int timeout_ms);

  // Scripts. Reads the request, then answers nothing at all.
  static Script stall();
  // Reads the request, then answers a head and a body that never ends, one byte every 100 ms:
  // every single read is quick, the answer never complete.
  static Script trickle();
  // Answers each request on the connection (kept alive) with HTTP 200 and `answer(body)`.
  static Script answerEach(std::function<std::string(const std::string& request_body)> answer);

 private:
  void start(std::unique_ptr<Poco::Net::ServerSocket> listener, Script script);
  void countRequest();

  std::unique_ptr<Poco::Net::ServerSocket> listener_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> connections_;  // protected by mutex_
  int requests_ = 0;                      // protected by mutex_
};

}  // namespace taskledger::testing
