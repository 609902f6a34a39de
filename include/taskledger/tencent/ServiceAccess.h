#pragma once
// How taskledger reaches Tencent's services other than the polled API (STS, the CVM metadata
// service): the same --resolve, --root-domain, --ca-file, --proxy and language as the run's CLB
// requests.
#include <memory>
#include <optional>
#include <string>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/Proxy.h"

namespace taskledger::tencent {

struct ServiceAccess {
  EndpointResolver endpoints = EndpointResolver::fromFlags("clb", "", "", {});
  std::string ca_file;              // PEM bundle to trust; empty: the system store
  Millis timeout{10000};            // each connect, send and read of an STS call
  // Off a CVM the metadata host answers nothing: a short wait, so the chain fails fast.
  Millis metadata_timeout{1000};
  std::string region = "ap-guangzhou";  // X-TC-Region of STS calls (any region serves them)
  std::string language;                 // X-TC-Language; empty: not sent
  // HTTPS (STS) goes through this proxy as the run's requests do; the plain-HTTP metadata
  // service is reached directly (it is a link-local address inside the VPC).
  std::optional<ProxySettings> proxy;
};

}  // namespace taskledger::tencent
