#pragma once
// The client side of TLS: whom we trust, with verification always on. Shared by every thread of a
// run (the SSL context is thread-safe); each handshake's verification error is remembered per
// thread so that a refused certificate can be reported by name.
#include <Poco/Net/Context.h>

#include <string>

namespace taskledger::tencent {

class TlsTrust {
 public:
  // Trusts the PEM bundle `ca_file`, or the system store when empty. Throws Error::usage naming
  // --ca-file when the file cannot be loaded.
  explicit TlsTrust(const std::string& ca_file);
  ~TlsTrust();
  TlsTrust(const TlsTrust&) = delete;
  TlsTrust& operator=(const TlsTrust&) = delete;

  Poco::Net::Context::Ptr context() const { return context_; }
  const std::string& caDescription() const { return ca_description_; }

  // The chain verification failure of this thread's last handshake, e.g. "unable to get local
  // issuer certificate (depth 0, /CN=127.0.0.1)"; empty when there was none. Cleared by
  // clearLastFailure().
  static std::string lastFailure();
  static void clearLastFailure();

 private:
  Poco::Net::Context::Ptr context_;
  std::string ca_description_;  // "CA file X" or "the system CA store (Y)"
};

}  // namespace taskledger::tencent
