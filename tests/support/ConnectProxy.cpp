#include "support/ConnectProxy.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <sstream>

namespace taskledger::testing {
namespace {

std::string decodeBasic(const std::string& header_value) {
  const std::string prefix = "Basic ";
  if (header_value.rfind(prefix, 0) != 0) return "";
  std::istringstream in(header_value.substr(prefix.size()));
  Poco::Base64Decoder decoder(in);
  std::string out;
  char c;
  while (decoder.get(c)) out.push_back(c);
  return out;
}

// Copies bytes both ways until either side closes.
void pump(Poco::Net::StreamSocket& a, Poco::Net::StreamSocket& b, const std::atomic<bool>& stopping) {
  char buf[16384];
  while (!stopping) {
    Poco::Net::Socket::SocketList read{a, b}, write, except;
    if (Poco::Net::Socket::select(read, write, except, Poco::Timespan(0, 200'000)) == 0) continue;
    for (auto& s : read) {
      Poco::Net::StreamSocket from(s);
      Poco::Net::StreamSocket& to = from == a ? b : a;
      const int n = from.receiveBytes(buf, sizeof buf);
      if (n <= 0) return;
      to.sendBytes(buf, n);
    }
  }
}

}  // namespace

ConnectProxy::ConnectProxy(std::string user_pass)
    : user_pass_(std::move(user_pass)), listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      if (!listener_.poll(Poco::Timespan(0, 100'000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket client = listener_.acceptConnection();
      std::lock_guard lock(mutex_);
      tunnels_.emplace_back([this, client] { serve(client); });
    }
  });
}

ConnectProxy::~ConnectProxy() {
  stopping_ = true;
  acceptor_.join();
  std::lock_guard lock(mutex_);
  for (auto& t : tunnels_) t.join();
}

std::vector<std::string> ConnectProxy::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

std::vector<std::string> ConnectProxy::authorizations() const {
  std::lock_guard lock(mutex_);
  return authorizations_;
}

void ConnectProxy::serve(Poco::Net::StreamSocket client) {
  try {
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192) {
      if (client.receiveBytes(&c, 1) <= 0) return;
      head.push_back(c);
    }
    std::istringstream lines(head);
    std::string method, target, version, line, auth;
    lines >> method >> target >> version;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      if (Poco::icompare(line.substr(0, colon), "Proxy-Authorization") == 0) {
        auth = decodeBasic(Poco::trim(line.substr(colon + 1)));
      }
    }
    {
      std::lock_guard lock(mutex_);
      targets_.push_back(target);
      authorizations_.push_back(auth);
    }
    auto reply = [&](const std::string& text) { client.sendBytes(text.data(), static_cast<int>(text.size())); };
    if (method != "CONNECT") return reply("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
    if (!user_pass_.empty() && auth != user_pass_) {
      return reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                   "Content-Length: 0\r\n\r\n");
    }
    const auto colon = target.rfind(':');
    Poco::Net::StreamSocket upstream(Poco::Net::SocketAddress("127.0.0.1", target.substr(colon + 1)));
    reply("HTTP/1.1 200 Connection established\r\n\r\n");
    pump(client, upstream, stopping_);
  } catch (const Poco::Exception&) {
    // A client or server that went away ends its tunnel; nothing else to do.
  }
}

}  // namespace taskledger::testing
