#pragma once
// Support for the mock's own tests: a minimal signed DescribeTaskStatus client (Poco HTTPS with the
// test CA, one kept-alive session, signing with taskledger::tencent::sign; not the product's
// client), and a fixture with certificates made once per suite.
#include <gtest/gtest.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "support/TempDir.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/TestCertificates.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::mock::testing {

inline const tencent::Credentials kTestCredentials{"AKIDmocktest0001", "mock-test-secret-key-0001", ""};
inline const tencent::ApiSpec kDescribeTaskStatus{"clb", "DescribeTaskStatus", "2018-03-17"};
inline const char* const kGuangzhouHost = "clb.ap-guangzhou.tencentcloudapi.com";

struct CallOptions {
  tencent::Credentials creds = kTestCredentials;
  tencent::ApiSpec api = kDescribeTaskStatus;
  std::string host = kGuangzhouHost;  // signed and sent as Host; the connection goes to 127.0.0.1
  std::string region = "ap-guangzhou";
  std::int64_t clock_offset_seconds = 0;
  bool sign_action = false;
  std::optional<std::string> body;    // default {"TaskId":"<id>"}
};

struct ApiReply {
  int http = 0;             // 0: no HTTP answer at all (transport error in `transport_error`)
  std::string body;
  std::string transport_error;
  Poco::JSON::Object::Ptr response;  // the "Response" object, when the body parses

  std::string code() const {
    if (!response || !response->has("Error")) return "";
    return response->getObject("Error")->getValue<std::string>("Code");
  }
  std::optional<int> status() const {
    if (!response || !response->has("Status")) return std::nullopt;
    return response->getValue<int>("Status");
  }
  std::string requestId() const {
    return response && response->has("RequestId") ? response->getValue<std::string>("RequestId") : "";
  }
  // "status:N", an error code, "http:500", "unparseable" or "transport": what the client saw.
  std::string seen() const {
    if (http == 0) return "transport";
    if (http != 200) return "http:" + std::to_string(http);
    if (!response) return "unparseable";
    if (auto s = status()) return "status:" + std::to_string(*s);
    return code();
  }
};

class TestClient {
 public:
  TestClient(int port, const std::string& ca_file, std::chrono::milliseconds timeout = std::chrono::seconds(20))
      : port_(port), timeout_(timeout) {
    static std::once_flag once;
    std::call_once(once, [] {
      Poco::Net::initializeSSL();
      Poco::Net::SSLManager::instance().initializeClient(
          nullptr, new Poco::Net::RejectCertificateHandler(false), nullptr);
    });
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = false;
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    reconnect();
  }

  ApiReply call(const std::string& task_id, const CallOptions& o = {}) {
    tencent::SignInput in;
    in.host = o.host;
    in.region = o.region;
    in.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count() + o.clock_offset_seconds;
    in.payload = o.body.value_or("{\"TaskId\":\"" + task_id + "\"}");
    in.sign_action = o.sign_action;
    tencent::Signature sig = tencent::sign(o.creds, o.api, in);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : sig.headers) request.set(name, value);
    request.setContentLength(static_cast<std::streamsize>(in.payload.size()));
    return exchange(request, in.payload);
  }

  // Sends a request built by the caller (for hand-made headers).
  ApiReply send(Poco::Net::HTTPRequest& request, const std::string& body) { return exchange(request, body); }

  ApiReply get(const std::string& path) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    return exchange(request, "");
  }

 private:
  void reconnect() {
    session_ = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port_),
                                                               context_);
    session_->setKeepAlive(true);
    session_->setTimeout(Poco::Timespan(static_cast<long>(timeout_.count() / 1000),
                                        static_cast<long>(timeout_.count() % 1000 * 1000)));
  }

  ApiReply exchange(Poco::Net::HTTPRequest& request, const std::string& body) {
    ApiReply reply;
    try {
      session_->sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_->receiveResponse(response);
      Poco::StreamCopier::copyToString(in, reply.body);
      reply.http = response.getStatus();
    } catch (const Poco::Exception& e) {
      reply.transport_error = e.displayText();
      reconnect();
      return reply;
    }
    try {
      auto root = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
      reply.response = root->getObject("Response");
    } catch (const Poco::Exception&) {
      reply.response = nullptr;
    }
    return reply;
  }

  int port_;
  std::chrono::milliseconds timeout_;
  Poco::Net::Context::Ptr context_;
  std::unique_ptr<Poco::Net::HTTPSClientSession> session_;
};

// Certificates for 127.0.0.1, localhost and the Guangzhou host, shared by a suite's tests.
class MockServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new taskledger::testing::TempDir;
    certs_ = generateTestCertificates(dir_->file("certs"), {kGuangzhouHost});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // A server that knows kTestCredentials, with no rate limit and an empty scenario.
  static MockServerOptions baseOptions() {
    MockServerOptions o;
    o.cert_file = certs_.server_cert;
    o.key_file = certs_.server_key;
    o.credentials[kTestCredentials.secret_id] = kTestCredentials.secret_key;
    o.rate = 0;
    return o;
  }

  // A script answering `statuses` for every id missing from the scenario.
  static TaskScript everyId(std::vector<int> statuses) {
    TaskScript t;
    t.statuses = std::move(statuses);
    return t;
  }

  inline static taskledger::testing::TempDir* dir_ = nullptr;
  inline static TestCertificates certs_;
};

}  // namespace taskledger::mock::testing
