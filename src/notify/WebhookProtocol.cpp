#include "taskledger/notify/WebhookProtocol.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <sstream>

#include "taskledger/domain/Text.h"
#include "taskledger/notify/ChatMessage.h"
#include "taskledger/report/Attention.h"
#include "taskledger/tencent/Signer.h"

namespace taskledger::notify {
namespace {

using Poco::JSON::Object;

// Chat platforms other than WeCom take far longer messages; a headline and ten reasons stay
// readable well within this.
constexpr std::size_t kChatMaxBytes = 8000;
// A platform's reason in our own message: enough to recognise it, never a flood.
constexpr std::size_t kReasonMaxBytes = 300;

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::string json(const Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Object::Ptr object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Object::Ptr markdownMessage(const std::string& text_key, const std::string& text, const std::string& title) {
  Object::Ptr markdown = object();
  if (!title.empty()) markdown->set("title", title);
  markdown->set(text_key, text);
  Object::Ptr body = object();
  body->set("msgtype", "markdown");
  body->set("markdown", markdown);
  return body;
}

Object::Ptr plainJson(const report::Summary& s) {
  const auto window = [](const report::Window& w) {
    Object::Ptr o = object();
    o->set("since", formatIsoUtc(w.since));
    o->set("until", formatIsoUtc(w.until));
    return o;
  };
  const auto counts = [](const report::HeadlineCounts& h) {
    Object::Ptr o = object();
    o->set("failed", h.failed);
    o->set("stuck", h.stuck);
    o->set("rejected", h.rejected);
    o->set("never_checked", h.never_checked);
    o->set("parked_regions", h.parked_regions);
    return o;
  };
  Object::Ptr headline = counts(report::headlineCounts(s));
  headline->set("total", s.totals.total);
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  for (const auto& g : report::topReasons(s, kTopReasons)) {
    Object::Ptr r = object();
    r->set("class", std::string(report::toString(g.task_class)));
    r->set("code", g.error_code);
    r->set("message", boundedText(g.message, kReasonBytes));
    r->set("count", g.count);
    reasons->add(r);
  }
  Object::Ptr body = object();
  body->set("source", "taskledger");
  body->set("window", window(s.window));
  body->set("generated_at", formatIsoUtc(s.generated_at));
  body->set("headline", headline);
  if (s.before) {  // the same span of the window before: what each count's change is against
    Object::Ptr before = counts(s.before->counts);
    before->set("window", window(s.before->window));
    body->set("previous", before);
  }
  body->set("quiet", report::quiet(s));
  body->set("text", chatText(s, Markup::Plain, kChatMaxBytes));
  body->set("reasons", reasons);
  return body;
}

std::string bounded(const std::string& text) { return escapeForTerminal(boundedText(text, kReasonMaxBytes)); }

// The platform's code and message from a JSON answer; nullopt when the code says "taken".
std::optional<std::string> codeRefusal(const std::string& body, const char* code_key, const char* message_key) {
  Poco::JSON::Object::Ptr answer;
  try {
    answer = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
  } catch (const std::exception&) {
    // Poco::Exception is a std::exception: not JSON, or not an object; said below.
  }
  if (!answer || !answer->has(code_key)) return "an answer without " + std::string(code_key) + ": " + bounded(body);
  const std::string code = answer->get(code_key).toString();
  if (code == "0") return std::nullopt;
  return std::string(code_key) + " " + bounded(code) + ": " + bounded(answer->optValue<std::string>(message_key, ""));
}

}  // namespace

Platform platformOf(std::string_view host) {
  if (host == "qyapi.weixin.qq.com") return Platform::WeCom;
  if (host == "oapi.dingtalk.com") return Platform::DingTalk;
  if (host == "open.feishu.cn" || host == "open.larksuite.com") return Platform::Feishu;
  if (host == "hooks.slack.com") return Platform::Slack;
  return Platform::Json;
}

std::string_view platformName(Platform p) {
  switch (p) {
    case Platform::WeCom: return "WeCom";
    case Platform::DingTalk: return "DingTalk";
    case Platform::Feishu: return "Feishu";
    case Platform::Slack: return "Slack";
    case Platform::Json: break;
  }
  return "JSON webhook";
}

std::string dingTalkSign(const std::string& secret, std::int64_t timestamp_ms) {
  return base64(tencent::hmacSha256(secret, std::to_string(timestamp_ms) + "\n" + secret));
}

std::string feishuSign(const std::string& secret, std::int64_t timestamp_s) {
  return base64(tencent::hmacSha256(std::to_string(timestamp_s) + "\n" + secret, ""));
}

WebhookPost webhookPost(Platform p, const std::string& target, const report::Summary& s, const std::string& secret,
                        TimePoint now) {
  WebhookPost post{target, {}};
  const std::string title = "taskledger: " + headlineText(s);
  switch (p) {
    case Platform::WeCom:
      post.body = json(*markdownMessage("content", chatText(s, Markup::Markdown, kWeComMaxBytes), ""));
      break;
    case Platform::DingTalk: {
      post.body = json(*markdownMessage("text", chatText(s, Markup::Markdown, kChatMaxBytes), title));
      if (secret.empty()) break;
      const std::int64_t ms = now.time_since_epoch().count();
      std::string sign;
      Poco::URI::encode(dingTalkSign(secret, ms), "+/=&?#", sign);
      post.target += (target.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") +
                     std::to_string(ms) + "&sign=" + sign;
      break;
    }
    case Platform::Feishu: {
      Object::Ptr body = object();
      if (!secret.empty()) {
        const std::int64_t seconds = toUnixSeconds(now);
        body->set("timestamp", std::to_string(seconds));
        body->set("sign", feishuSign(secret, seconds));
      }
      body->set("msg_type", "text");
      Object::Ptr content = object();
      content->set("text", chatText(s, Markup::Plain, kChatMaxBytes));
      body->set("content", content);
      post.body = json(*body);
      break;
    }
    case Platform::Slack: {
      Object::Ptr body = object();
      body->set("text", chatText(s, Markup::Slack, kChatMaxBytes));
      post.body = json(*body);
      break;
    }
    case Platform::Json: post.body = json(*plainJson(s)); break;
  }
  return post;
}

std::optional<std::string> refusal(Platform p, int http_status, const std::string& body) {
  if (p == Platform::Slack) {
    // Slack answers 200 "ok", or an error status with a word such as "invalid_token".
    if (http_status == 200 && body == "ok") return std::nullopt;
    return "HTTP " + std::to_string(http_status) + ": " + bounded(body);
  }
  if (http_status < 200 || http_status > 299) return "HTTP " + std::to_string(http_status) + ": " + bounded(body);
  switch (p) {
    case Platform::WeCom:
    case Platform::DingTalk: return codeRefusal(body, "errcode", "errmsg");
    case Platform::Feishu:
      // Older Feishu bots answer {"StatusCode":0,"StatusMessage":"success"}.
      if (body.find("\"code\"") == std::string::npos && body.find("\"StatusCode\"") != std::string::npos) {
        return codeRefusal(body, "StatusCode", "StatusMessage");
      }
      return codeRefusal(body, "code", "msg");
    default: return std::nullopt;
  }
}

}  // namespace taskledger::notify
