#pragma once
// Delivers a report's headline to chat robots (report --notify URL): one HTTPS POST per URL
// through the tencent::ApiCaller path (the same TLS verification, --ca-file, --resolve and
// --proxy as every other call), bounded by a total timeout.
//
// A webhook URL carries its key (WeCom's ?key=, DingTalk's ?access_token=, the path tokens of
// Slack and Feishu), and the signing secret is one too: no message made here holds either; a
// webhook is named by its platform and host only ("WeCom robot at qyapi.weixin.qq.com").
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Time.h"
#include "taskledger/notify/WebhookProtocol.h"
#include "taskledger/report/Summary.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/HttpsClientOptions.h"

namespace taskledger::tencent {
class ApiCaller;
}

namespace taskledger::notify {

// A parsed https webhook URL.
struct Webhook {
  Platform platform = Platform::Json;
  std::string host;         // lower-case, without port
  std::uint16_t port = 443;
  std::string target;       // path and query, as given
  std::vector<std::string> secrets;  // the parts of the URL that are keys: never shown

  std::string name() const;  // "WeCom robot at qyapi.weixin.qq.com"
};

// Throws Error::usage for anything but https://HOST[:PORT]/PATH[?QUERY]; the message never
// repeats the URL's path or query.
Webhook parseWebhook(const std::string& url);

// `text` with every one of `secrets` replaced by "***".
std::string redacted(std::string text, const std::vector<std::string>& secrets);

struct NotifyOptions {
  tencent::HttpsClientOptions client;  // ca_file, proxy, timeout of each network wait
  std::map<std::string, tencent::ConnectTarget> resolve;  // --resolve, by lower-case host
  Millis total_timeout{30'000};  // the whole POST, connect to answer
  std::string secret;            // --notify-secret: signs DingTalk and Feishu posts
};

class Notifier {
 public:
  explicit Notifier(NotifyOptions options);  // Error::usage naming --ca-file when it cannot be read
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Posts the headline and top reasons of `s`. Nullopt when the robot took it; else one line
  // naming the webhook and why ("WeCom robot at qyapi.weixin.qq.com refused: errcode 93000: ..."),
  // free of the URL's key and the secret.
  std::optional<std::string> post(const Webhook& hook, const report::Summary& s, TimePoint now);

 private:
  NotifyOptions options_;
  std::unique_ptr<tencent::ApiCaller> caller_;
};

}  // namespace taskledger::notify
