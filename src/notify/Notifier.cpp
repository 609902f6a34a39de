#include "taskledger/notify/Notifier.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/ApiCaller.h"

namespace taskledger::notify {
namespace {

// A path segment is a token (Slack's T.../B.../secret, Feishu's hook id) when it is long, or
// fairly long with a digit; words such as "cgi-bin", "services" or "open-apis" are not.
bool looksLikeToken(const std::string& segment) {
  const bool digit = segment.find_first_of("0123456789") != std::string::npos;
  return segment.size() >= 16 || (segment.size() >= 8 && digit);
}

std::vector<std::string> secretParts(const Poco::URI& uri, const std::string& raw_query) {
  std::vector<std::string> out;
  std::vector<std::string> segments;
  uri.getPathSegments(segments);
  for (const auto& s : segments) {
    if (looksLikeToken(s)) out.push_back(s);
  }
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (!value.empty()) out.push_back(value);
  }
  // As written, too (percent-encoded values differ from the decoded ones).
  std::size_t start = 0;
  while (start < raw_query.size()) {
    std::size_t end = raw_query.find('&', start);
    if (end == std::string::npos) end = raw_query.size();
    const std::size_t eq = raw_query.find('=', start);
    if (eq != std::string::npos && eq + 1 < end) out.push_back(raw_query.substr(eq + 1, end - eq - 1));
    start = end + 1;
  }
  return out;
}

// Ends a call that outlives the total timeout (each Poco wait is bounded on its own, not their sum).
class Deadline {
 public:
  Deadline(tencent::CallControl& control, Millis after, std::string why)
      : thread_([this, &control, after, why = std::move(why)] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, after, [&] { return done_; })) control.abort(why);
        }) {}
  ~Deadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;  // protected by mutex_
  std::thread thread_;
};

}  // namespace

std::string Webhook::name() const {
  return std::string(platformName(platform)) + (platform == Platform::Json ? " at " : " robot at ") + host;
}

Webhook parseWebhook(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    throw Error::usage("--notify: not a URL; write https://HOST/PATH?QUERY as the robot's settings show it");
  }
  if (Poco::toLower(uri.getScheme()) != "https" || uri.getHost().empty() || !uri.getUserInfo().empty()) {
    throw Error::usage("--notify: only https://HOST[:PORT]/PATH[?QUERY] URLs are posted to (the URL carries a key)");
  }
  Webhook hook;
  hook.host = Poco::toLower(uri.getHost());
  hook.port = uri.getPort();
  hook.platform = platformOf(hook.host);
  hook.target = uri.getPathAndQuery();  // a #fragment is the browser's, never sent
  if (hook.target.empty() || hook.target[0] != '/') hook.target = "/" + hook.target;
  hook.secrets = secretParts(uri, uri.getRawQuery());
  return hook;
}

std::string redacted(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

Notifier::Notifier(NotifyOptions options)
    : options_(std::move(options)), caller_(std::make_unique<tencent::ApiCaller>(options_.client)) {}

Notifier::~Notifier() = default;

std::optional<std::string> Notifier::post(const Webhook& hook, const report::Summary& s, TimePoint now) {
  const WebhookPost post = webhookPost(hook.platform, hook.target, s, options_.secret, now);
  tencent::ApiRequest request;
  request.target = post.target;
  request.payload = post.body;
  const std::string host_header = hook.port == 443 ? hook.host : hook.host + ":" + std::to_string(hook.port);
  const auto resolved = options_.resolve.find(hook.host);
  const tencent::ConnectTarget target =
      resolved != options_.resolve.end() ? resolved->second : tencent::ConnectTarget{hook.host, hook.port};
  request.endpoint = tencent::Endpoint{host_header, hook.host, target.address, target.port};

  tencent::CallControl control;
  tencent::ApiOutcome outcome;
  {
    Deadline deadline(control, options_.total_timeout,
                      "no answer within " + std::to_string(options_.total_timeout.count()) + " ms (--notify-timeout)");
    outcome = caller_->call(request, tencent::Credentials{}, &control);
  }
  std::vector<std::string> secrets = hook.secrets;
  secrets.push_back(options_.secret);
  if (const auto* error = std::get_if<ApiError>(&outcome.value)) {
    return redacted(hook.name() + ": not delivered: " + error->code + ": " + error->message, secrets);
  }
  const auto& reply = std::get<tencent::ApiReply>(outcome.value);
  const auto why = refusal(hook.platform, reply.http_status, reply.body);
  if (!why) return std::nullopt;
  return redacted(hook.name() + " refused the message: " + *why, secrets);
}

}  // namespace taskledger::notify
