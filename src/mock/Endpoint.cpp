#include "Endpoint.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <Poco/String.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <random>
#include <sstream>

#include "Random.h"
#include "taskledger/mock/SignatureCheck.h"

namespace taskledger::mock {
namespace {

// A request body as a JSON object; null when it is not one (STS's two actions refuse it alike).
Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return nullptr;
}

// What this endpoint serves, as data: the same values the client's ApiSpec holds.
constexpr const char* kService = "clb";
constexpr const char* kAction = "DescribeTaskStatus";
constexpr const char* kVersion = "2018-03-17";
constexpr const char* kAuditService = "cloudaudit";
constexpr const char* kAuditAction = "DescribeEvents";
constexpr const char* kAuditVersion = "2019-03-19";
// STS, for AssumeRole (API.md "Credentials").
constexpr const char* kStsService = "sts";
constexpr const char* kAssumeRole = "AssumeRole";
constexpr const char* kAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity";
constexpr const char* kStsVersion = "2018-08-13";
constexpr std::int64_t kStsDefaultSeconds = 7200, kStsMaxSeconds = 43200;
constexpr const char* kMetadataPath = "/latest/meta-data/cam/security-credentials/";
// Tencent refuses a timestamp further than this from its clock (AuthFailure.SignatureExpire).
constexpr std::int64_t kTimestampWindowSeconds = 300;

std::string freshRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return uuidFrom(rng(), rng());
}

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string errorBody(const std::string& code, const std::string& message, const std::string& request_id) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  error->set("Code", code);
  error->set("Message", message);
  Poco::JSON::Object::Ptr response = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  response->set("Error", error);
  response->set("RequestId", request_id);
  Poco::JSON::Object root;
  root.set("Response", response);
  return stringify(root);
}

// Message and LoadBalancerIds come with final statuses only; in-progress answers carry null.
std::string statusBody(const Play& play, const std::string& request_id) {
  Poco::JSON::Object::Ptr response = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  response->set("Status", play.status);
  bool final_status = play.status != 2;
  if (final_status && !play.script->message.empty()) {
    response->set("Message", play.script->message);
  } else {
    response->set("Message", Poco::Dynamic::Var());
  }
  if (final_status && !play.script->load_balancer_ids.empty()) {
    Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
    for (const auto& id : play.script->load_balancer_ids) ids->add(id);
    response->set("LoadBalancerIds", ids);
  } else {
    response->set("LoadBalancerIds", Poco::Dynamic::Var());
  }
  response->set("RequestId", request_id);
  Poco::JSON::Object root;
  root.set("Response", response);
  return stringify(root);
}

std::optional<std::int64_t> parseInt(const std::string& s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The TaskId of {"TaskId":"..."}; nullopt with `not_json` set when the body is not a JSON object.
std::optional<std::string> taskIdOf(const std::string& body, bool& not_json) {
  not_json = false;
  try {
    auto root = Poco::JSON::Parser().parse(body);
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      not_json = true;
      return std::nullopt;
    }
    auto o = root.extract<Poco::JSON::Object::Ptr>();
    if (!o->has("TaskId") || !o->get("TaskId").isString()) return std::nullopt;
    return o->getValue<std::string>("TaskId");
  } catch (const Poco::Exception&) {
    not_json = true;
    return std::nullopt;
  }
}

}  // namespace

Endpoint::Endpoint(const MockServerOptions& options, Scenario scenario)
    : options_(options),
      player_(std::move(scenario)),
      audit_(options.events_file.empty() ? AuditTrail() : AuditTrail::loadFile(options.events_file)),
      traffic_(options.rate, options.account_rate),
      log_(options.log_file) {}

Reply Endpoint::refuse(const std::string& code, const std::string& message, const std::string& task_id) {
  Reply r;
  r.request_id = freshRequestId();
  r.body = errorBody(code, message, r.request_id);
  r.task_id = task_id;
  r.outcome = code;
  r.delay = latency();
  return r;
}

Millis Endpoint::latency() {
  Millis d = options_.latency;
  if (options_.jitter.count() > 0) {
    double u = unitInterval(mix64(options_.seed, 0x6a177e5, jitter_draws_++));
    d += Millis(static_cast<long long>((2 * u - 1) * static_cast<double>(options_.jitter.count())));
  }
  return std::max(d, Millis(0));
}

std::int64_t Endpoint::nowSeconds() const {
  if (options_.clock) return toUnixSeconds(options_.clock());
  return toUnixSeconds(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + options_.clock_skew);
}

Reply Endpoint::handle(const Incoming& in) {
  const std::string host = in.header("host").value_or("");
  const auto auth_value = in.header("authorization");
  const auto auth = auth_value ? parseAuthorization(*auth_value) : std::nullopt;
  const std::string secret_id = auth ? auth->secret_id : "";
  // Tencent counts a role's requests as one account's, whichever temporary key signed them.
  const auto issued = temporary_keys_.find(secret_id);
  const std::string account = issued ? issued->account : secret_id;
  traffic_.arrive(account, host, in.arrival);

  if (in.method != "POST") return refuse("UnsupportedProtocol", "The local endpoint serves POST / only.");
  auto action = in.header("x-tc-action");
  if (!action) return refuse("MissingParameter", "The request is missing the header X-TC-Action.");
  const bool audit = *action == kAuditAction;
  if (*action == kAssumeRoleWithWebIdentity) return assumeRoleWithWebIdentity(in);
  const bool sts = *action == kAssumeRole;
  if (*action != kAction && !audit && !sts) return refuse("InvalidAction", "The action " + *action + " is not supported.");
  auto version = in.header("x-tc-version");
  if (!version || *version != (audit ? kAuditVersion : sts ? kStsVersion : kVersion)) {
    return refuse("NoSuchVersion", "The API version " + version.value_or("(none)") + " does not exist.");
  }
  if (auto language = in.header("x-tc-language"); language && *language != "en-US" && *language != "zh-CN") {
    return refuse("InvalidParameterValue", "X-TC-Language must be en-US or zh-CN.");
  }
  auto ts_text = in.header("x-tc-timestamp");
  if (!ts_text) return refuse("MissingParameter", "The request is missing the header X-TC-Timestamp.");
  auto ts = parseInt(*ts_text);
  if (!ts) return refuse("InvalidParameterValue", "X-TC-Timestamp is not a Unix time in seconds.");
  if (!auth || auth->algorithm != "TC3-HMAC-SHA256") {
    return refuse("AuthFailure.InvalidAuthorization", "The Authorization header is missing or malformed.");
  }
  const std::int64_t now = nowSeconds();
  if (*ts > now + kTimestampWindowSeconds || *ts < now - kTimestampWindowSeconds) {
    return refuse("AuthFailure.SignatureExpire",
                  "The signature has expired: X-TC-Timestamp " + *ts_text + " is more than 5 minutes from " +
                      "the server time " + std::to_string(now) + ".");
  }
  // AssumeRole takes long-term keys only, as the SDKs send.
  const char* service = audit ? kAuditService : sts ? kStsService : kService;
  if (auto refused = checkKeys(in, *auth, *ts, now, service, issued, !sts)) return *refused;
  if (sts) return assumeRole(in, now);
  switch (traffic_.admit(account, host, in.arrival)) {
    case Traffic::Admission::Accepted:
      break;
    case Traffic::Admission::OverHostRate:
      return refuse("RequestLimitExceeded",
                    "Your current request times exceed the frequency limit of " + std::to_string(options_.rate) +
                        " requests per second for " + host + ". Please reduce the frequency of calls.");
    case Traffic::Admission::OverAccountRate:
      return refuse("RequestLimitExceeded.UinLimitExceeded",
                    "Your account's requests exceed its frequency limit of " + std::to_string(options_.account_rate) +
                        " requests per second over all regions. Please reduce the frequency of calls.");
  }
  if (audit) {
    // DescribeEvents requires Region, as the real service does (MissingParameter without it).
    if (in.header("x-tc-region").value_or("").empty()) {
      return refuse("MissingParameter", "The request is missing a required parameter `Region`.");
    }
    return answerEvents(in.body);
  }
  bool not_json = false;
  auto task_id = taskIdOf(in.body, not_json);
  if (not_json) return refuse("InvalidParameter", "The request body is not a JSON object.");
  if (!task_id) return refuse("MissingParameter", "The parameter TaskId is missing.");
  return answerTask(*task_id, in.header("x-tc-region").value_or(""), in.arrival, account, host);
}

std::optional<Reply> Endpoint::checkKeys(const Incoming& in, const AuthorizationHeader& auth, std::int64_t timestamp,
                                         std::int64_t now, const std::string& service,
                                         const std::optional<IssuedKey>& issued, bool allow_temporary) {
  std::string secret_key, token;
  if (auto key = options_.credentials.find(auth.secret_id); key != options_.credentials.end()) {
    secret_key = key->second;
    if (auto t = options_.tokens.find(auth.secret_id); t != options_.tokens.end()) token = t->second;
  } else if (issued && allow_temporary) {
    if (now >= issued->expires) {
      return refuse("AuthFailure.TokenFailure", "The temporary credentials " + auth.secret_id + " expired at " +
                                                    std::to_string(issued->expires) + ".");
    }
    secret_key = issued->secret_key;
    token = issued->token;
  } else {
    return refuse("AuthFailure.SecretIdNotFound", "The SecretId " + auth.secret_id + " is not found.");
  }
  SignedRequest signed_request{in.method, in.header, in.body, timestamp};
  Refusal r = verifySignature(auth, signed_request, secret_key, service);
  if (r.refused()) return refuse(r.code, r.message);
  if (!token.empty() && in.header("x-tc-token").value_or("") != token) {
    return refuse("AuthFailure.TokenFailure", "The X-TC-Token is missing or does not match the SecretId.");
  }
  return std::nullopt;
}

Reply Endpoint::assumeRole(const Incoming& in, std::int64_t now) {
  const Poco::JSON::Object::Ptr body = jsonObject(in.body);
  if (!body) return refuse("InvalidParameter", "The request body is not a JSON object.");
  const std::string arn = body->optValue<std::string>("RoleArn", "");
  const std::string session = body->optValue<std::string>("RoleSessionName", "");
  if (arn.empty()) return refuse("MissingParameter", "The parameter RoleArn is missing.");
  if (session.empty()) return refuse("MissingParameter", "The parameter RoleSessionName is missing.");
  if (arn.rfind("qcs::cam::uin/", 0) != 0 || arn.find(":roleName/") == std::string::npos) {
    return refuse("InvalidParameter.RoleArn", "RoleArn " + arn + " is not qcs::cam::uin/<uin>:roleName/<name>.");
  }
  if (!options_.sts_external_id.empty() && body->optValue<std::string>("ExternalId", "") != options_.sts_external_id) {
    return refuse("UnauthorizedOperation", "The role's trust policy requires another ExternalId.");
  }
  return roleKeys(*body, "role:" + arn, now, "sts:AssumeRole");
}

Reply Endpoint::roleKeys(const Poco::JSON::Object& body, const std::string& account, std::int64_t now,
                         const std::string& outcome) {
  const std::int64_t asked = body.optValue<std::int64_t>("DurationSeconds", kStsDefaultSeconds);
  if (asked < 1 || asked > kStsMaxSeconds) {
    return refuse("InvalidParameter.DurationSeconds", "DurationSeconds must be 1 to 43200.");
  }
  const std::int64_t lifetime = std::min<std::int64_t>(asked, options_.sts_duration.count() / 1000);
  const IssuedKey key = temporary_keys_.issue(account, now, lifetime);

  Poco::JSON::Object::Ptr credentials = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  credentials->set("Token", key.token);
  credentials->set("TmpSecretId", key.secret_id);
  credentials->set("TmpSecretKey", key.secret_key);
  Poco::JSON::Object::Ptr response = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  response->set("Credentials", credentials);
  response->set("ExpiredTime", key.expires);
  response->set("Expiration", formatIsoUtc(fromUnixSeconds(key.expires)));
  Reply reply;
  reply.request_id = freshRequestId();
  response->set("RequestId", reply.request_id);
  Poco::JSON::Object root;
  root.set("Response", response);
  reply.body = stringify(root);
  reply.outcome = outcome;
  reply.delay = latency();
  return reply;
}

std::string Endpoint::acceptedWebIdentityToken() const {
  if (options_.web_identity_token_file.empty()) return options_.web_identity_token;
  // Read for every call: the test rotates it as the kubelet does.
  std::ifstream in(options_.web_identity_token_file, std::ios::binary);
  std::string token(64 * 1024, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<std::size_t>(in.gcount()));
  return Poco::trim(token);
}

Reply Endpoint::assumeRoleWithWebIdentity(const Incoming& in) {
  if (in.header("x-tc-version").value_or("") != kStsVersion) {
    return refuse("NoSuchVersion", "The API version " + in.header("x-tc-version").value_or("(none)") + " does not exist.");
  }
  if (in.header("authorization").value_or("") != "SKIP") {
    return refuse("AuthFailure.InvalidAuthorization", "AssumeRoleWithWebIdentity is called unsigned: Authorization: SKIP.");
  }
  if (in.header("x-tc-region").value_or("").empty()) return refuse("MissingParameter", "The request is missing X-TC-Region.");
  const Poco::JSON::Object::Ptr body = jsonObject(in.body);
  if (!body) return refuse("InvalidParameter", "The request body is not a JSON object.");
  for (const char* name : {"ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"}) {
    if (body->optValue<std::string>(name, "").empty()) return refuse("MissingParameter", std::string("The parameter ") + name + " is missing.");
  }
  const std::string accepted = acceptedWebIdentityToken();
  if (accepted.empty() || body->getValue<std::string>("WebIdentityToken") != accepted) {
    return refuse("InvalidParameter.WebIdentityTokenError", "The WebIdentityToken is not valid (expired or unknown).");
  }
  const std::string arn = body->getValue<std::string>("RoleArn");
  return roleKeys(*body, "role:" + arn, nowSeconds(), "sts:AssumeRoleWithWebIdentity");
}

MetadataReply Endpoint::metadata(const std::string& path) {
  const std::string& role = options_.metadata_role;
  if (path == kMetadataPath) {
    if (role.empty()) return {404, "text/plain", "no role bound\n"};
    return {200, "text/plain", role};
  }
  if (role.empty() || path != kMetadataPath + role) return {404, "text/plain", "not found\n"};
  const std::int64_t now = nowSeconds();
  const IssuedKey key = temporary_keys_.issue("cvm-role:" + role, now, options_.sts_duration.count() / 1000);
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("TmpSecretId", key.secret_id);
  o.set("TmpSecretKey", key.secret_key);
  o.set("ExpiredTime", key.expires);
  o.set("Expiration", formatIsoUtc(fromUnixSeconds(key.expires)));
  o.set("Token", key.token);
  o.set("Code", "Success");
  return {200, "application/json", stringify(o)};
}

Reply Endpoint::answerTask(const std::string& task_id, const std::string& region, SteadyTime arrival,
                           const std::string& secret_id, const std::string& host) {
  const std::uint64_t k = player_.nextRequestIndex(task_id);
  const Fault fault = options_.faults.pick(options_.seed, task_id, k);
  Reply reply;
  switch (fault) {
    case Fault::RateLimitBurst:
      traffic_.startBurst(secret_id, host, arrival + options_.faults.burst_for);
      return refuse("RequestLimitExceeded", "A burst of rate limiting is on for " + host + ".", task_id);
    case Fault::InternalError:
      reply = refuse("InternalError", "An internal error occurred.", task_id);
      reply.outcome = "fault:internal";
      return reply;
    case Fault::Http500:
    case Fault::Drop:
      reply.kind = fault == Fault::Drop ? Reply::Kind::Drop : Reply::Kind::Http500;
      reply.body = fault == Fault::Drop ? "" : "500 Internal Server Error\n";
      reply.task_id = task_id;
      reply.outcome = std::string("fault:") + faultName(fault);
      reply.delay = latency();
      return reply;
    case Fault::Slow:
    case Fault::Truncated:
    case Fault::None:
      break;
  }
  // Faulted answers show what the next check would say without consuming it.
  Play play = player_.play(task_id, region, fault == Fault::None, arrival);
  if (play.kind == Play::Kind::Error) {
    reply = refuse(play.error_code, play.error_message, task_id);
  } else {
    reply.request_id = freshRequestId();
    reply.body = statusBody(play, reply.request_id);
    reply.task_id = task_id;
    reply.outcome = "status:" + std::to_string(play.status);
    reply.delay = latency();
  }
  if (fault == Fault::Slow) {
    reply.delay += options_.faults.slow_for;
    reply.outcome = "fault:slow";
  } else if (fault == Fault::Truncated) {
    reply.kind = Reply::Kind::Truncated;
    reply.outcome = "fault:truncated";
  }
  return reply;
}

Reply Endpoint::answerEvents(const std::string& body) {
  const std::int64_t now =
      toUnixSeconds(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + options_.clock_skew);
  AuditReply a = audit_.describe(body, now, options_.audit_delay);
  if (!a.error_code.empty()) return refuse(a.error_code, a.error_message);
  Reply reply;
  reply.request_id = freshRequestId();
  reply.body = "{\"Response\":{\"Events\":" + a.events_json + ",\"ListOver\":" + (a.list_over ? "true" : "false") +
               (a.next_token ? ",\"NextToken\":" + std::to_string(*a.next_token) : std::string()) +
               ",\"RequestId\":\"" + reply.request_id + "\"}}";
  reply.outcome = "events";
  reply.delay = latency();
  return reply;
}

void Endpoint::record(const Incoming& in, const Reply& reply) {
  traffic_.answered(reply.outcome);
  log_.write(in.arrival_wall, reply.request_id, reply.task_id, reply.outcome, in.header("host").value_or(""));
}

bool Endpoint::wait(Millis d) {
  if (d.count() <= 0) return !stopping_;
  std::unique_lock lock(stop_mutex_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void Endpoint::beginStop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
}

}  // namespace taskledger::mock
