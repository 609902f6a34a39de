#pragma once
// Where a client gets the keys to sign each request with. Long-term keys never change; temporary
// ones (an STS role, the CVM instance role) are refreshed by their provider before they expire,
// so a client asks for every request and never keeps a copy.
#include <memory>
#include <string>

#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // The keys to sign with now. Thread-safe. Throws taskledger::Error when none can be had
  // (exit 77 when they are missing or refused); never returns empty keys.
  virtual Credentials current() = 0;
  // Who these credentials are to Tencent's rate limits: the same across every refresh of one
  // profile's keys (never the temporary SecretId), so that a refresh never opens a fresh window.
  // The key of the run's limiters. Never secret.
  virtual std::string identity() const = 0;
};

// Keys that never change: the environment, a credential file, tests.
class StaticCredentialProvider final : public CredentialProvider {
 public:
  explicit StaticCredentialProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Credentials current() override { return credentials_; }
  std::string identity() const override { return credentials_.secret_id; }

 private:
  Credentials credentials_;
};

}  // namespace taskledger::tencent
