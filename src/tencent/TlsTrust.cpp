#include "TlsTrust.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetSSL.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <csignal>
#include <filesystem>
#include <mutex>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

// Debian's bundle of the system's trusted roots.
constexpr const char* kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";

thread_local std::string t_last_failure;

// Same decision as OpenSSL's own chain check (we return what it concluded); only records why.
int recordingVerifyCallback(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 0 && t_last_failure.empty()) {
    const int err = X509_STORE_CTX_get_error(store);
    std::string subject;
    if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
      char buf[256];
      X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
      subject = buf;
    }
    t_last_failure = std::string(X509_verify_cert_error_string(err)) + " (depth " +
                     std::to_string(X509_STORE_CTX_get_error_depth(store)) +
                     (subject.empty() ? "" : ", " + subject) + ")";
  }
  return preverify_ok;
}

// OpenSSL writes to the socket with plain write(): a peer that reset a kept-alive connection
// would otherwise kill the whole process with SIGPIPE instead of giving EPIPE, which we classify
// as "Network". Left alone when the program already chose a disposition.
void ignoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
  });
}

}  // namespace

TlsTrust::TlsTrust(const std::string& ca_file) {
  ignoreSigpipeOnce();
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  if (!ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ca_file, ec)) {
      Poco::Net::uninitializeSSL();
      throw Error::usage("--ca-file " + ca_file + ": no such file");
    }
    params.caLocation = ca_file;
    ca_description_ = "CA file " + ca_file;
  } else if (std::error_code ec; std::filesystem::is_regular_file(kSystemBundle, ec)) {
    params.caLocation = kSystemBundle;
    ca_description_ = std::string("the system CA store (") + kSystemBundle + ")";
  } else {
    params.loadDefaultCAs = true;
    ca_description_ = "OpenSSL's default CA store";
  }
  try {
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    Poco::Net::uninitializeSSL();
    throw Error::usage((ca_file.empty() ? std::string("system CA store") : "--ca-file " + ca_file) +
                       ": cannot be loaded: " + e.displayText());
  }
  context_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  SSL_CTX_set_verify(context_->sslContext(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     &recordingVerifyCallback);
}

TlsTrust::~TlsTrust() {
  context_.reset();
  Poco::Net::uninitializeSSL();
}

std::string TlsTrust::lastFailure() { return t_last_failure; }
void TlsTrust::clearLastFailure() { t_last_failure.clear(); }

}  // namespace taskledger::tencent
