#pragma once
// The endpoint's decisions, apart from the HTTP plumbing: given a received request, what to answer
// (MockServer.h lists the checks in order). Thread-safe: one Endpoint serves every handler thread.
#include <Poco/JSON/Object.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "AnswerLog.h"
#include "AuditTrail.h"
#include "ScenarioPlayer.h"
#include "TemporaryKeys.h"
#include "Traffic.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/SignatureCheck.h"

namespace taskledger::mock {

struct Incoming {
  std::string method;
  std::string path;
  std::function<std::optional<std::string>(const std::string& lower_name)> header;
  std::string body;
  SteadyTime arrival;
  TimePoint arrival_wall;
};

struct Reply {
  enum class Kind { Json, Http500, Drop, Truncated };
  Kind kind = Kind::Json;
  std::string body;        // Truncated: the whole body, which the sender cuts
  std::string request_id;  // the API RequestId in the body ("" for Http500 and Drop)
  std::string task_id;
  std::string outcome;     // as in MockStats::outcomes
  Millis delay{0};         // wait this long before answering
};

// An answer of the plain-HTTP metadata route.
struct MetadataReply {
  int http = 200;
  std::string content_type = "text/plain";
  std::string body;
};

class Endpoint {
 public:
  Endpoint(const MockServerOptions& options, Scenario scenario);

  Reply handle(const Incoming& in);
  // GET <path> on the metadata route (MockServer.h).
  MetadataReply metadata(const std::string& path);
  // Counts the reply in the statistics and writes its log line; call just before sending it.
  void record(const Incoming& in, const Reply& reply);

  // Waits `d`, or less if stopping() begins. Returns false when woken by the stop.
  bool wait(Millis d);
  void beginStop();
  bool stopping() const { return stopping_; }

  MockStats stats() const { return traffic_.snapshot(); }

 private:
  Reply refuse(const std::string& code, const std::string& message, const std::string& task_id = "");
  Reply answerTask(const std::string& task_id, const std::string& region, SteadyTime arrival,
                   const std::string& secret_id, const std::string& host);
  Millis latency();
  Reply answerEvents(const std::string& body);
  // The SecretId's key (long-term, or temporary and unexpired), the signature, and the token;
  // nullopt when they pass.
  std::optional<Reply> checkKeys(const Incoming& in, const AuthorizationHeader& auth, std::int64_t timestamp,
                                 std::int64_t now, const std::string& service,
                                 const std::optional<IssuedKey>& issued, bool allow_temporary);
  Reply assumeRole(const Incoming& in, std::int64_t now);
  // A TKE pod's role: unsigned, the token checked against the one configured.
  Reply assumeRoleWithWebIdentity(const Incoming& in);
  std::string acceptedWebIdentityToken() const;
  // Temporary keys for `account` valid DurationSeconds (at most sts_duration), in STS's answer shape.
  Reply roleKeys(const Poco::JSON::Object& body, const std::string& account, std::int64_t now,
                 const std::string& outcome);
  std::int64_t nowSeconds() const;

  const MockServerOptions& options_;
  ScenarioPlayer player_;
  AuditTrail audit_;
  Traffic traffic_;
  AnswerLog log_;
  TemporaryKeys temporary_keys_;

  std::atomic<std::uint64_t> jitter_draws_{0};
  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
};

}  // namespace taskledger::mock
