#pragma once
// How each chat platform's incoming webhook ("robot") takes a message and says whether it took
// it. The platform is told by the URL's host:
//   WeCom group robot   qyapi.weixin.qq.com          markdown, content at most 4096 bytes
//   DingTalk            oapi.dingtalk.com            markdown; with a secret, signed in the query
//   Feishu / Lark       open.feishu.cn, open.larksuite.com   text; with a secret, signed in the body
//   Slack               hooks.slack.com              text (mrkdwn)
//   any other host      the headline as plain JSON
// Pure functions: the HTTPS call is Notifier's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "taskledger/domain/Time.h"
#include "taskledger/report/Summary.h"

namespace taskledger::notify {

enum class Platform { WeCom, DingTalk, Feishu, Slack, Json };

Platform platformOf(std::string_view host);  // host lower-case, without port
std::string_view platformName(Platform p);   // "WeCom", "DingTalk", "Feishu", "Slack", "JSON webhook"

// WeCom documents 4096 bytes for a markdown message's content.
inline constexpr std::size_t kWeComMaxBytes = 4096;

// What to POST: the path and query (with a DingTalk signature appended) and the JSON body.
struct WebhookPost {
  std::string target;
  std::string body;
};

// `target` is the URL's path and query as given. `secret` (may be empty) signs for DingTalk and
// Feishu and is ignored by the others; `now` is the signing time.
WebhookPost webhookPost(Platform p, const std::string& target, const report::Summary& s, const std::string& secret,
                        TimePoint now);

// DingTalk: base64(HMAC-SHA256(key = secret, timestamp_ms + "\n" + secret)), not yet URL-encoded.
std::string dingTalkSign(const std::string& secret, std::int64_t timestamp_ms);
// Feishu/Lark: base64(HMAC-SHA256(key = timestamp_s + "\n" + secret, "")).
std::string feishuSign(const std::string& secret, std::int64_t timestamp_s);

// Nullopt when the platform took the message; otherwise its reason, e.g. "errcode 93000: invalid
// webhook url" (the platform's own code and message, escaped and bounded).
std::optional<std::string> refusal(Platform p, int http_status, const std::string& body);

}  // namespace taskledger::notify
