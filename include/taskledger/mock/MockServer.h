#pragma once
// The local Tencent-style HTTPS endpoint for CLB DescribeTaskStatus (and CloudAudit DescribeEvents,
// see events_file below): a real Poco HTTPS server on
// 127.0.0.1 used by the integration tests, the benchmarks and the demo (`taskledger-mock serve`).
//
// For each request it checks, in this order, answering HTTP 200 with the real error envelope
// {"Response":{"Error":{"Code":..,"Message":..},"RequestId":..}} and a fresh UUID RequestId:
//   1. The method is POST (UnsupportedProtocol); X-TC-Action present (MissingParameter) and
//      DescribeTaskStatus (InvalidAction); X-TC-Version 2018-03-17 (NoSuchVersion);
//      X-TC-Timestamp present and numeric (MissingParameter / InvalidParameterValue).
//   2. Authorization parses as TC3-HMAC-SHA256 (AuthFailure.InvalidAuthorization); timestamp
//      within 5 minutes of the server's clock (AuthFailure.SignatureExpire); SecretId known
//      (AuthFailure.SecretIdNotFound); credential scope is <UTC date of the timestamp>/clb/
//      tc3_request, SignedHeaders include content-type and host, and the signature matches
//      (AuthFailure.SignatureFailure); X-TC-Token equals the registered token when one is
//      registered for that SecretId (AuthFailure.TokenFailure). Any SignedHeaders list is
//      accepted; canonical header values are taken trimmed, either as sent or lower-cased (the
//      newest docs lower-case them, e.g. "x-tc-action:describetaskstatus").
//   3. Rate: a request is refused (RequestLimitExceeded) when accepting it would put more than
//      `rate` ACCEPTED requests of its (SecretId, Host header) in the sliding 1-second window
//      ending at its arrival. Refused requests do not count against the window (so a client that
//      backs off recovers at once), but they do count as arrivals in the statistics.
//   4. The body: {"TaskId":"..."} (MissingParameter without it, InvalidParameter if not JSON).
//   5. Injected faults (FaultPlan.h), drawn per TaskId; they do not advance any task's history.
//   6. An id unknown to the scenario, or whose region differs from a sent X-TC-Region, answers
//      InvalidParameter (the real service does not find a task of another region); otherwise
//      the task's script answers {"Response":{"Status":S,"Message":..,"LoadBalancerIds":..,
//      "RequestId":..}} and that answer consumes one step of its history.
// Every answer (statuses, errors, faults) waits latency ± jitter first.
// GET /__admin/stats answers the statistics as JSON (no signature needed).
//
// STS: X-TC-Action AssumeRole (Version 2018-08-13, service sts in the scope) goes through the same
// checks 1-2 with the long-term keys only, needs RoleArn (qcs::cam::uin/<uin>:roleName/<name>) and
// RoleSessionName, and answers {"Response":{"Credentials":{"Token","TmpSecretId","TmpSecretKey"},
// "ExpiredTime","Expiration","RequestId"}}: temporary keys valid for DurationSeconds (default 7200)
// but at most `sts_duration`. The CLB route accepts such keys with their X-TC-Token until they
// expire, then answers AuthFailure.TokenFailure; its rate window counts them as their role's (one
// account to Tencent), not per temporary SecretId.
// STS AssumeRoleWithWebIdentity (a TKE pod's OIDC role): unsigned, `Authorization: SKIP` (anything
// else: AuthFailure.InvalidAuthorization), needs ProviderId, RoleArn, RoleSessionName and a
// WebIdentityToken equal to `web_identity_token`, or to the content of `web_identity_token_file`
// read afresh for each call (a token the kubelet has rotated away: InvalidParameter.WebIdentityTokenError);
// answers as AssumeRole, keys valid at most `sts_duration`. Off when neither is set.
// Metadata (plain HTTP on its own port, when metadata_port >= 0), as a CVM's metadata service:
// GET /latest/meta-data/cam/security-credentials/ answers `metadata_role` (404 when empty) and
// GET .../<role> fresh temporary keys {"TmpSecretId","TmpSecretKey","ExpiredTime","Expiration",
// "Token","Code":"Success"} valid for `sts_duration`. X-TC-Language, when sent, must be en-US or
// zh-CN (InvalidParameterValue).
// Keep-alive is on with no limit of requests per connection.
//
// Thread-safety: start(), stop() and the destructor from one thread; port(), stats() and
// writeStats() from any thread once started.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "taskledger/domain/Time.h"
#include "taskledger/mock/FaultPlan.h"
#include "taskledger/mock/MockStats.h"
#include "taskledger/mock/Scenario.h"

namespace taskledger::mock {

struct MockServerOptions {
  int port = 0;                 // 0: any free port; port() tells which
  std::string cert_file;        // PEM server certificate (chain), e.g. from generateTestCertificates
  std::string key_file;         // PEM private key
  Scenario scenario;            // used when scenario_file is empty
  std::string scenario_file;    // JSON, see Scenario.h
  std::map<std::string, std::string> credentials;  // SecretId -> SecretKey; never logged
  std::map<std::string, std::string> tokens;       // SecretId -> required X-TC-Token (optional)
  int rate = 20;                // accepted requests per (SecretId, Host) per sliding second; 0: no limit
  // Accepted requests per account over all hosts per sliding second; 0: no limit. Over it:
  // RequestLimitExceeded.UinLimitExceeded, the account-wide limit.
  int account_rate = 0;
  Millis latency{0};            // added to every answer
  Millis jitter{0};             // latency varies uniformly in [latency - jitter, latency + jitter]
  FaultPlan faults;
  std::uint64_t seed = 1;       // faults and jitter are drawn from it
  Millis clock_skew{0};         // the server's clock = system clock + skew (SignatureExpire tests)
  // In-process tests: the server's clock instead (expiry of temporary keys without waiting).
  std::function<TimePoint()> clock;
  std::string stats_file;       // written on stop() when set
  std::string log_file;         // when set: one line appended per answer (AnswerLog format below)
  int max_threads = 128;        // one thread per open connection, kept-alive ones included
  Millis keep_alive_timeout{30000};  // an idle kept-alive connection is closed after this
  // CloudAudit DescribeEvents (service cloudaudit, version 2019-03-19), answered from this file of
  // events (see src/mock/AuditTrail.h for its rules); empty: no events. Signatures and the rate
  // are checked as for CLB, the rate per (SecretId, Host) as always.
  std::string events_file;
  Millis audit_delay{0};  // an event is visible this long after its EventTime
  Millis sts_duration{7200 * 1000};  // longest life of the temporary keys handed out (whole seconds)
  // AssumeRole requires this ExternalId (a role whose trust policy names one); empty: not checked.
  std::string sts_external_id;
  std::string web_identity_token;       // the pod's OIDC token AssumeRoleWithWebIdentity accepts
  std::string web_identity_token_file;  // or: the file holding it, read at every call (rotation)
  int metadata_port = -1;            // the plain-HTTP metadata route: -1 off, 0 any free port
  std::string metadata_role = "taskledger-cvm-role";  // the role bound to the "instance"; empty: none
};

// The answer log, one line per answer, written (and flushed) before the answer is sent:
//   <arrival UTC ISO-8601 ms>\t<api RequestId or ->\t<TaskId or ->\t<outcome>\t<Host>\n
// outcome is as in MockStats::outcomes. A crash test checks every stored check's api_request_id
// appears here.

class MockServer {
 public:
  // Loads the scenario file and the certificate; throws taskledger::Error on a bad file.
  explicit MockServer(MockServerOptions options);
  ~MockServer();  // stops if running
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Listens on 127.0.0.1:<port> and serves until stop(). Throws taskledger::Error if it cannot.
  // Sets SIGPIPE to ignored if it had the default action (a peer hanging up must not kill the
  // process).
  void start();
  // Stops accepting, closes open connections, wakes sleeping answers, and writes the stats file.
  // Idempotent.
  void stop();

  int port() const;
  int metadataPort() const;  // 0 when the metadata route is off
  MockStats stats() const;
  void writeStats(const std::string& path) const;  // atomically (write, then rename)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskledger::mock
