#include "support/WebhookReceiver.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>

#include <condition_variable>

#include "taskledger/mock/TestCertificates.h"

namespace taskledger::testing {

struct WebhookReceiver::State {
  mutable std::mutex mutex;
  int status = 200;  // protected by mutex, as the rest
  std::string body = R"({"errcode":0,"errmsg":"ok"})";
  std::vector<ReceivedPost> posts;
  bool held = false;
  std::condition_variable released;
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ReceivedPost post;
    post.uri = request.getURI();
    post.host = request.getHost();
    post.content_type = request.getContentType();
    Poco::StreamCopier::copyToString(request.stream(), post.body);
    int status = 0;
    std::string body;
    {
      std::unique_lock lock(state_->mutex);
      state_->posts.push_back(std::move(post));
      state_->released.wait(lock, [&] { return !state_->held; });
      status = state_->status;
      body = state_->body;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

}  // namespace

struct WebhookReceiver::Server {
  Poco::Net::Context::Ptr context;
  std::unique_ptr<Poco::Net::HTTPServer> http;
  int port = 0;
};

WebhookReceiver::WebhookReceiver(const std::string& cert_dir, const std::vector<std::string>& hosts)
    : state_(std::make_shared<State>()), server_(std::make_unique<Server>()) {
  Poco::Net::initializeSSL();
  const auto certs = mock::generateTestCertificates(cert_dir, hosts);
  ca_file_ = certs.ca_cert;
  Poco::Net::Context::Params params;
  params.certificateFile = certs.server_cert;
  params.privateKeyFile = certs.server_key;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  server_->context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16, server_->context);
  server_->port = socket.address().port();
  server_->http = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, new Poco::Net::HTTPServerParams);
  server_->http->start();
}

WebhookReceiver::~WebhookReceiver() {
  hold(false);
  server_->http->stopAll(true);
  server_.reset();
  Poco::Net::uninitializeSSL();
}

void WebhookReceiver::answer(int status, std::string body) {
  std::lock_guard lock(state_->mutex);
  state_->status = status;
  state_->body = std::move(body);
}

void WebhookReceiver::hold(bool held) {
  {
    std::lock_guard lock(state_->mutex);
    state_->held = held;
  }
  state_->released.notify_all();
}

int WebhookReceiver::port() const { return server_->port; }

std::vector<ReceivedPost> WebhookReceiver::posts() const {
  std::lock_guard lock(state_->mutex);
  return state_->posts;
}

}  // namespace taskledger::testing
