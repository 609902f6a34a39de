#pragma once
// What an HTTPS client of the Tencent APIs is told: how long to wait, whom to trust, which proxy.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/Proxy.h"

namespace taskledger::tencent {

struct HttpsClientOptions {
  // Bounds each single network wait: the connect, the TLS handshake's reads, each send and read
  // of the answer. A whole request's deadline is its caller's (CallControl::abort()): a server
  // that sends a byte a second resets every single wait.
  Millis timeout{10000};
  std::string ca_file;    // PEM bundle to trust; empty: the system store
  // The signing time (X-TC-Timestamp); empty: the system clock. Tests skew it.
  std::function<TimePoint()> now;
  // false: a fresh connection for every request (benchmarks compare the two).
  bool keep_alive = true;
  // A kept-alive connection idle this long is closed instead of reused. Poco's default (8 s) made
  // a host that sat out a few seconds pay a new TLS handshake; servers commonly keep idle
  // connections 30 to 75 s. One the server closed sooner is noticed when picked (it reads as
  // closed); if not, the call fails with stale_connection and its caller resends.
  Millis idle_reuse{25000};
  // X-TC-Language of every request ("en-US" or "zh-CN": the language of Tencent's messages);
  // empty: not sent, the service's default.
  std::string language;
  // A longer answer is a Network error, not read to the end (a DescribeTaskStatus answer is a
  // few hundred bytes; a CloudAudit page of 50 events some hundreds of KiB).
  std::size_t max_answer_bytes = 1 << 20;
  // Tunnel through this HTTP proxy with CONNECT (hosts it lists as exceptions go direct).
  std::optional<ProxySettings> proxy;
};

}  // namespace taskledger::tencent
