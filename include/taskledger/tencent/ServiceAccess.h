#pragma once
// How taskledger reaches Tencent's services other than the polled API (STS, the CVM metadata
// service): the same --resolve, --root-domain, --ca-file and language as the run's CLB requests.
#include <memory>
#include <string>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/EndpointResolver.h"

namespace taskledger::tencent {

class TlsTrust;

struct ServiceAccess {
  EndpointResolver endpoints = EndpointResolver::fromFlags("clb", "", "", {});
  std::string ca_file;              // PEM bundle to trust; empty: the system store
  Millis timeout{10000};            // each connect, send and read of an STS call
  // Off a CVM the metadata host answers nothing: a short wait, so the chain fails fast.
  Millis metadata_timeout{1000};
  std::string region = "ap-guangzhou";  // X-TC-Region of STS calls (any region serves them)
  std::string language;                 // X-TC-Language; empty: not sent
};

}  // namespace taskledger::tencent
