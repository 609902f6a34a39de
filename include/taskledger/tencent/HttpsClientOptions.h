#pragma once
// What an HTTPS client of the API is told: which API, how long to wait, whom to trust.
#include <functional>
#include <string>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::tencent {

// CLB's DescribeTaskStatus, the API taskledger polls.
ApiSpec clbDescribeTaskStatus();

struct HttpsClientOptions {
  ApiSpec api = clbDescribeTaskStatus();
  // Bounds each network wait: the connect, each step of the TLS handshake, each send and read
  // (measured from the last progress, so a slow but moving answer is not cut off).
  Millis timeout{10000};
  std::string ca_file;    // PEM bundle to trust; empty: the system store
  // The signing time (X-TC-Timestamp); empty: the system clock. Tests skew it.
  std::function<TimePoint()> now;
  // false: a fresh connection for every request (benchmarks compare the two).
  bool keep_alive = true;
  // A kept-alive connection idle this long is closed instead of reused. 8 s (Poco's default) made
  // a host that sat out a few seconds pay a new TLS handshake; servers commonly keep idle
  // connections 30 to 75 s (the SDKs' HTTP stacks reuse them for 90 s and more). One the server
  // closed sooner is noticed when picked; if not, it costs one resend (stale_connection).
  Millis idle_reuse{25000};
  // Resend once on a fresh connection when a reused one fails. The scheduler turns this off and
  // resends itself (ApiError::stale_connection), so that the resend also passes its rate limiter.
  bool resend_on_stale_connection = true;
};

}  // namespace taskledger::tencent
