#include "support/CannedServer.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace taskledger::testing {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(const CannedAnswer& answer) : answer_(answer) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::ostringstream ignored;
    Poco::StreamCopier::copyStream(request.stream(), ignored);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer_.status));
    response.setContentType(answer_.content_type);
    response.setContentLength(static_cast<std::streamsize>(answer_.body.size()));
    response.send() << answer_.body;
  }

 private:
  const CannedAnswer& answer_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(CannedAnswer answer) : answer_(std::move(answer)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(answer_);
  }

 private:
  CannedAnswer answer_;
};

Poco::Net::ServerSocket listen(const std::string& cert_file, const std::string& key_file) {
  const Poco::Net::SocketAddress local("127.0.0.1", 0);
  if (cert_file.empty()) return Poco::Net::ServerSocket(local);
  Poco::Net::Context::Params params;
  params.certificateFile = cert_file;
  params.privateKeyFile = key_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  return Poco::Net::SecureServerSocket(local, 64, new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params));
}

}  // namespace

CannedServer::CannedServer(CannedAnswer answer, const std::string& cert_file, const std::string& key_file) {
  Poco::Net::ServerSocket socket = listen(cert_file, key_file);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(answer)), socket, params);
  server_->start();
}

CannedServer::~CannedServer() { server_->stopAll(true); }

}  // namespace taskledger::testing
