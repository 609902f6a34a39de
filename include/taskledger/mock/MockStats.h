#pragma once
// What the local endpoint saw and answered: the figures tests and benchmarks assert on.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace taskledger::mock {

// One (SecretId, Host header) pair: the unit Tencent's rate limit counts by.
struct KeyStats {
  std::string secret_id;  // as claimed in the Authorization header ("" when there was none)
  std::string host;       // the Host header as sent
  std::uint64_t requests = 0;
  std::uint64_t rate_limited = 0;     // answered RequestLimitExceeded (window or burst)
  int max_arrivals_1s = 0;            // largest number of arrivals in any sliding 1 s window
  int max_accepted_1s = 0;            // same, counting only requests not refused for the rate
};

struct MockStats {
  std::uint64_t requests = 0;  // every request to the API path ("/"); the admin path excluded
  std::uint64_t connections = 0;  // TCP connections accepted: with keep-alive, far fewer than requests
  // Answers by outcome: "status:0", "status:1", "status:2", an error code such as
  // "InvalidParameter" or "AuthFailure.SignatureFailure", or an injected fault "fault:drop",
  // "fault:http500", "fault:internal", "fault:slow", "fault:truncated".
  std::map<std::string, std::uint64_t> outcomes;
  std::uint64_t signature_failures = 0;  // every AuthFailure.* answer: none is expected from a
                                         // correct client with the right clock and keys
  std::uint64_t rate_limited = 0;        // every RequestLimitExceeded answer
  int max_arrivals_1s = 0;               // over all keys together
  std::vector<KeyStats> by_key;          // sorted by (host, secret_id)

  // {"requests":N,"connections":N,"outcomes":{...},"signature_failures":N,"rate_limited":N,
  //  "max_arrivals_1s":N,"by_key":[{"secret_id":..,"host":..,"requests":..,"rate_limited":..,
  //  "max_arrivals_1s":..,"max_accepted_1s":..}]}
  std::string toJson() const;
  static MockStats fromJson(const std::string& text);  // throws taskledger::Error (BadInput)

  // The largest max_arrivals_1s of any single key (what "no host above the rate" checks).
  int maxArrivalsPerKey() const;
};

}  // namespace taskledger::mock
