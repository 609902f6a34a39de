#include "taskledger/mock/MockServer.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <filesystem>
#include <fstream>

#include "Endpoint.h"
#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

constexpr int kListenBacklog = 1024;  // the kernel caps it at net.core.somaxconn

using namespace Poco::Net;

constexpr const char* kAdminStatsPath = "/__admin/stats";
// A DescribeTaskStatus body is tens of bytes; anything near this is not a client of ours.
constexpr std::streamsize kMaxBody = 1 << 20;

std::string readBody(HTTPServerRequest& request) {
  std::string body;
  char buf[4096];
  auto& in = request.stream();
  while (in && static_cast<std::streamsize>(body.size()) < kMaxBody) {
    in.read(buf, sizeof buf);
    body.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  return body;
}

void sendText(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& type,
              const std::string& body) {
  response.setStatus(status);
  response.setContentType(type);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

// Closes the TCP connection without a TLS close_notify and with a reset, as a crashed or
// overloaded front end would: the client gets no answer at all.
void dropConnection(HTTPServerRequest& request, HTTPServerResponse& response) {
  response.setKeepAlive(false);
  auto* impl = dynamic_cast<HTTPServerRequestImpl*>(&request);
  if (!impl) return;
  StreamSocket& socket = impl->socket();
  try {
    socket.setLinger(true, 0);
    if (auto* secure = dynamic_cast<SecureStreamSocketImpl*>(socket.impl())) {
      secure->abort();
    } else {
      socket.shutdown();
    }
  } catch (const Poco::Exception&) {
    // Already closed by the peer: nothing left to drop.
  }
}

// When the request reached this host: the moment the kernel took in its last byte so far. The
// rate limit is counted at the server's door, not by its threads: a handler thread starved of CPU
// (the sanitizers, a loaded machine) starts late, and stamping its own start would bunch
// arrivals that came apart. TCP_INFO says how long ago data last came in, to the kernel's tick
// (4 ms at HZ=250), and nothing but this request can have come since the previous answer.
// Returns how long ago that was; zero when the socket will not say.
std::chrono::milliseconds sinceLastData(HTTPServerRequest& request) {
  auto* impl = dynamic_cast<HTTPServerRequestImpl*>(&request);
  if (!impl) return std::chrono::milliseconds(0);
  tcp_info info{};
  socklen_t size = sizeof info;
  if (getsockopt(impl->socket().impl()->sockfd(), IPPROTO_TCP, TCP_INFO, &info, &size) != 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(info.tcpi_last_data_recv);
}

using StatsSource = std::function<MockStats()>;

class ApiHandler final : public HTTPRequestHandler {
 public:
  ApiHandler(Endpoint& endpoint, const StatsSource& stats) : endpoint_(endpoint), stats_(stats) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Incoming in;
    const auto ago = sinceLastData(request);
    in.arrival = std::chrono::steady_clock::now() - ago;
    in.arrival_wall = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now() - ago);
    in.method = request.getMethod();
    in.path = request.getURI();
    if (in.method == HTTPRequest::HTTP_GET && in.path == kAdminStatsPath) {
      sendText(response, HTTPResponse::HTTP_OK, "application/json", stats_().toJson());
      return;
    }
    in.body = readBody(request);
    in.header = [&request](const std::string& name) -> std::optional<std::string> {
      auto it = request.find(name);  // case-insensitive
      if (it == request.end()) return std::nullopt;
      return it->second;
    };
    Reply reply = endpoint_.handle(in);
    if (!endpoint_.wait(reply.delay)) {  // stopping: answer nothing
      response.setKeepAlive(false);
      return;
    }
    endpoint_.record(in, reply);
    switch (reply.kind) {
      case Reply::Kind::Json:
        sendText(response, HTTPResponse::HTTP_OK, "application/json", reply.body);
        break;
      case Reply::Kind::Truncated:
        sendText(response, HTTPResponse::HTTP_OK, "application/json", reply.body.substr(0, reply.body.size() / 2));
        break;
      case Reply::Kind::Http500:
        sendText(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "text/plain", reply.body);
        break;
      case Reply::Kind::Drop:
        dropConnection(request, response);
        break;
    }
  }

 private:
  Endpoint& endpoint_;
  const StatsSource& stats_;
};

// The CVM metadata service's credential route, over plain HTTP as on a real instance.
class MetadataHandler final : public HTTPRequestHandler {
 public:
  explicit MetadataHandler(Endpoint& endpoint) : endpoint_(endpoint) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    if (request.getMethod() != HTTPRequest::HTTP_GET) {
      sendText(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
      return;
    }
    const MetadataReply reply = endpoint_.metadata(request.getURI());
    sendText(response, static_cast<HTTPResponse::HTTPStatus>(reply.http), reply.content_type, reply.body);
  }

 private:
  Endpoint& endpoint_;
};

class MetadataHandlerFactory final : public HTTPRequestHandlerFactory {
 public:
  explicit MetadataHandlerFactory(Endpoint& endpoint) : endpoint_(endpoint) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new MetadataHandler(endpoint_); }

 private:
  Endpoint& endpoint_;
};

class HandlerFactory final : public HTTPRequestHandlerFactory {
 public:
  HandlerFactory(Endpoint& endpoint, StatsSource stats) : endpoint_(endpoint), stats_(std::move(stats)) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new ApiHandler(endpoint_, stats_);
  }

 private:
  Endpoint& endpoint_;
  const StatsSource stats_;
};

}  // namespace

struct MockServer::Impl {
  MockServerOptions options;
  Context::Ptr context;
  std::unique_ptr<Endpoint> endpoint;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<HTTPServer> server;
  std::unique_ptr<Poco::ThreadPool> metadata_pool;  // its own: the API's pool is sized for the API
  std::unique_ptr<HTTPServer> metadata_server;
  int port = 0;
  int metadata_port = 0;
  std::atomic<bool> running{false};
  std::atomic<std::uint64_t> connections_before{0};  // of servers already stopped
};

MockServer::MockServer(MockServerOptions options) : impl_(std::make_unique<Impl>()) {
  initializeSSL();
  impl_->options = std::move(options);
  MockServerOptions& o = impl_->options;
  Scenario scenario = o.scenario_file.empty() ? std::move(o.scenario) : Scenario::loadFile(o.scenario_file);
  o.scenario = Scenario{};
  for (const auto& file : {o.cert_file, o.key_file}) {
    if (!std::filesystem::is_regular_file(file)) {
      throw Error::usage("mock endpoint: cannot read the certificate or key file \"" + file + "\"");
    }
  }
  try {
    Context::Params params;
    params.certificateFile = o.cert_file;
    params.privateKeyFile = o.key_file;
    params.verificationMode = Context::VERIFY_NONE;
    impl_->context = new Context(Context::TLS_SERVER_USE, params);
  } catch (const Poco::Exception& e) {
    throw Error::usage("mock endpoint: bad certificate " + o.cert_file + " or key " + o.key_file + ": " +
                       e.displayText());
  }
  impl_->endpoint = std::make_unique<Endpoint>(impl_->options, std::move(scenario));
}

MockServer::~MockServer() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; stop() already did its best.
  }
  impl_.reset();
  uninitializeSSL();
}

void MockServer::start() {
  if (impl_->running) return;
  // OpenSSL writes with write(2): a client that hangs up before a (slow) answer would otherwise
  // end the whole process with SIGPIPE. A handler someone installed is left alone.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
  const MockServerOptions& o = impl_->options;
  try {
    // A backlog for a first second's burst of new connections: five accounts over three regions
    // open 300 at once, and a full accept queue drops their handshakes for seconds.
    SecureServerSocket socket(SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(o.port)), kListenBacklog,
                              impl_->context);
    impl_->port = socket.address().port();
    auto* params = new HTTPServerParams;
    params->setMaxThreads(o.max_threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited requests per connection
    params->setKeepAliveTimeout(Poco::Timespan(o.keep_alive_timeout.count() * 1000));
    params->setServerName("127.0.0.1");
    params->setSoftwareVersion("taskledger-mock");
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, o.max_threads + 2, 60);
    impl_->server = std::make_unique<HTTPServer>(new HandlerFactory(*impl_->endpoint, [this] { return stats(); }), *impl_->pool, socket, params);
    impl_->server->start();
    if (o.metadata_port >= 0) {
      ServerSocket metadata_socket(SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(o.metadata_port)), 64);
      impl_->metadata_port = metadata_socket.address().port();
      auto* metadata_params = new HTTPServerParams;
      metadata_params->setMaxThreads(4);
      metadata_params->setKeepAlive(false);
      impl_->metadata_pool = std::make_unique<Poco::ThreadPool>(1, 6, 60);
      impl_->metadata_server = std::make_unique<HTTPServer>(new MetadataHandlerFactory(*impl_->endpoint),
                                                            *impl_->metadata_pool, metadata_socket, metadata_params);
      impl_->metadata_server->start();
    }
  } catch (const Poco::Exception& e) {
    throw Error::runtime("mock endpoint: cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": " +
                         e.displayText());
  }
  impl_->running = true;
}

void MockServer::stop() {
  if (!impl_ || !impl_->running) return;
  impl_->running = false;
  impl_->endpoint->beginStop();  // wakes answers waiting out their latency
  impl_->server->stopAll(true);  // closes the listener and every open connection
  if (impl_->metadata_server) {
    impl_->metadata_server->stopAll(true);
    impl_->metadata_pool->joinAll();
  }
  impl_->pool->joinAll();
  impl_->connections_before += static_cast<std::uint64_t>(impl_->server->totalConnections());
  impl_->server.reset();
  impl_->metadata_server.reset();
  if (!impl_->options.stats_file.empty()) writeStats(impl_->options.stats_file);
}

int MockServer::port() const { return impl_->port; }
int MockServer::metadataPort() const { return impl_->metadata_port; }

MockStats MockServer::stats() const {
  MockStats s = impl_->endpoint->stats();
  s.connections = impl_->connections_before;
  if (impl_->running) s.connections += static_cast<std::uint64_t>(impl_->server->totalConnections());
  return s;
}

void MockServer::writeStats(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << stats().toJson() << "\n";
    if (!out.flush()) throw Error::runtime(path + ": cannot write the mock statistics");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error::runtime(path + ": cannot write the mock statistics (" + ec.message() + ")");
}

}  // namespace taskledger::mock
