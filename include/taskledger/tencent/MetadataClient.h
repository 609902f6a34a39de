#pragma once
// The CVM instance metadata service (API.md "Credentials"): plain HTTP to
// http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/, which names the role
// bound to the instance, and .../<role>, which gives its temporary keys. Reached with Poco, with
// --resolve honoured; every wait, and each call as a whole (connect to last byte), bounded by
// ServiceAccess::metadata_timeout so that off a CVM, or against a service that trickles, it fails
// fast with one clear line. A stop signal ends a call at once (exit 130/143; CallRegistry).
#include <string>

#include "taskledger/tencent/RefreshingCredentialProvider.h"
#include "taskledger/tencent/ServiceAccess.h"

namespace taskledger::tencent {

class MetadataClient {
 public:
  static constexpr const char* kHost = "metadata.tencentyun.com";
  static constexpr const char* kCredentialsPath = "/latest/meta-data/cam/security-credentials/";

  explicit MetadataClient(const ServiceAccess& access);

  // The name of the role bound to this instance. Throws Error (exit 1) when the service cannot be
  // reached ("not a CVM?") or no role is bound (HTTP 404).
  std::string roleName() const;
  // The role's temporary keys. Throws Error: exit 77 when the service refuses them (a role not
  // bound, Code other than Success), 1 when it cannot be reached or answers nonsense.
  TemporaryCredentials roleCredentials(const std::string& role) const;

 private:
  std::string get(const std::string& path, int& http_status) const;

  ConnectTarget target_;
  Millis timeout_;
};

}  // namespace taskledger::tencent
