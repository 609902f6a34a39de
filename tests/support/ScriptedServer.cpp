#include "support/ScriptedServer.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>

#include <chrono>
#include <cstdlib>

namespace taskledger::testing {
namespace {

const Poco::Timespan kPollStep(0, 100'000);  // how soon a connection notices the server stopping

// The Content-Length of a request head (0 when absent).
std::size_t contentLength(const std::string& head) {
  const std::string lower = Poco::toLower(head);
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
}

}  // namespace

// ---- Connection ----------------------------------------------------------------------------------

ScriptedServer::Connection::Connection(Poco::Net::StreamSocket socket, ScriptedServer& server)
    : socket_(std::move(socket)), server_(server) {
  // A TLS handshake the client never finishes must not hold the server's end up.
  socket_.setReceiveTimeout(Poco::Timespan(1, 0));
}

bool ScriptedServer::Connection::receiveSome() {
  while (!server_.stopping()) {
    try {
      if (!socket_.poll(kPollStep, Poco::Net::Socket::SELECT_READ)) continue;
      char buf[4096];
      const int n = socket_.receiveBytes(buf, sizeof buf);
      if (n <= 0) return false;
      buffer_.append(buf, static_cast<std::size_t>(n));
      return true;
    } catch (const Poco::TimeoutException&) {
      continue;  // a TLS record not yet whole
    } catch (const Poco::Exception&) {
      return false;
    }
  }
  return false;
}

std::optional<std::string> ScriptedServer::Connection::readRequest() {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!receiveSome()) return std::nullopt;
  }
  const std::size_t length = contentLength(buffer_.substr(0, end + 2));
  while (buffer_.size() < end + 4 + length) {
    if (!receiveSome()) return std::nullopt;
  }
  std::string body = buffer_.substr(end + 4, length);
  buffer_.erase(0, end + 4 + length);
  server_.countRequest();
  return body;
}

bool ScriptedServer::Connection::send(const std::string& bytes) {
  if (server_.stopping()) return false;
  try {
    socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

void ScriptedServer::Connection::hold() {
  while (receiveSome()) {
  }
}

// ---- ScriptedServer ------------------------------------------------------------------------------

ScriptedServer::ScriptedServer(Script script) {
  start(std::make_unique<Poco::Net::ServerSocket>(Poco::Net::SocketAddress("127.0.0.1", 0)), std::move(script));
}

ScriptedServer::ScriptedServer(const std::string& cert_file, const std::string& key_file, Script script) {
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key_file, cert_file, "",
                                                           Poco::Net::Context::VERIFY_NONE);
  start(std::make_unique<Poco::Net::SecureServerSocket>(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context),
        std::move(script));
}

void ScriptedServer::start(std::unique_ptr<Poco::Net::ServerSocket> listener, Script script) {
  listener_ = std::move(listener);
  port_ = listener_->address().port();
  acceptor_ = std::thread([this, script = std::move(script)] {
    while (!stopping_) {
      try {
        if (!listener_->poll(kPollStep, Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket socket = listener_->acceptConnection();
        std::lock_guard lock(mutex_);
        connections_.emplace_back([this, script, socket]() mutable {
          Connection connection(std::move(socket), *this);
          try {
            script(connection);
          } catch (const Poco::Exception&) {
            // the client went away: the script's end
          }
        });
      } catch (const Poco::Exception&) {
        // a handshake that failed: the next client
      }
    }
  });
}

ScriptedServer::~ScriptedServer() {
  stopping_ = true;
  acceptor_.join();
  std::lock_guard lock(mutex_);
  for (auto& t : connections_) t.join();
}

void ScriptedServer::countRequest() {
  {
    std::lock_guard lock(mutex_);
    ++requests_;
  }
  changed_.notify_all();
}

int ScriptedServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool ScriptedServer::waitForRequests(int n, int timeout_ms) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return requests_ >= n; });
}

ScriptedServer::Script ScriptedServer::stall() {
  return [](Connection& c) {
    if (c.readRequest()) c.hold();
  };
}

ScriptedServer::Script ScriptedServer::trickle() {
  return [](Connection& c) {
    if (!c.readRequest()) return;
    if (!c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")) return;
    while (c.send(" ")) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
}

ScriptedServer::Script ScriptedServer::answerEach(std::function<std::string(const std::string&)> answer) {
  return [answer = std::move(answer)](Connection& c) {
    while (auto body = c.readRequest()) {
      const std::string reply = answer(*body);
      if (!c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.size()) +
                  "\r\n\r\n" + reply)) {
        return;
      }
    }
  };
}

}  // namespace taskledger::testing
