#include "NotifyFlags.h"

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "ApiAccess.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/domain/Error.h"
#include "taskledger/notify/Notifier.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/Proxy.h"

namespace taskledger::cli {
namespace {

std::string fromEnvironment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

void addNotifyOptions(po::options_description& options, NotifyFlags& flags) {
  options.add_options()
      ("notify", po::value(&flags.urls)->composing()->value_name("URL"),
       "post the headline to this chat robot's webhook (repeatable; WeCom, DingTalk, Feishu/Lark, Slack, "
       "else plain JSON; default TASKLEDGER_NOTIFY, space-separated)")
      ("notify-secret", po::value(&flags.secret)->value_name("S"),
       "sign DingTalk and Feishu posts with this secret (default TASKLEDGER_NOTIFY_SECRET)")
      ("notify-timeout", po::value<std::string>()->default_value("30s")->value_name("D"),
       "the longest one post may take, connect to answer")
      ("resolve", po::value(&flags.resolve)->composing()->value_name("HOST:ADDR[:PORT]"),
       "with --notify: connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&flags.ca_file)->value_name("PEM"),
       "with --notify: trust these CA certificates instead of the system store");
  addProxyOption(options, flags.proxy);
}

void checkNotifyFlags(NotifyFlags& flags, const po::variables_map& vm) {
  // The URL and the secret are keys: the environment keeps them out of `ps` and shell history.
  if (flags.urls.empty()) flags.urls = words(fromEnvironment("TASKLEDGER_NOTIFY"));
  if (flags.secret.empty()) flags.secret = fromEnvironment("TASKLEDGER_NOTIFY_SECRET");
  for (const auto& url : flags.urls) notify::parseWebhook(url);
  for (const auto& entry : flags.resolve) tencent::parseResolveEntry(entry);
  if (durationFlag(vm, "notify-timeout") < Millis(100)) throw Error::usage("--notify-timeout must be at least 100ms");
}

bool notifyAll(const NotifyFlags& flags, const po::variables_map& vm, const report::Summary& summary, bool verbose) {
  if (flags.urls.empty()) return true;
  notify::NotifyOptions options;
  options.total_timeout = durationFlag(vm, "notify-timeout");
  // The total deadline ends a post; each single wait is left longer so that it never fires first.
  options.client.timeout = options.total_timeout + Millis(1000);
  options.client.ca_file = flags.ca_file;
  options.client.keep_alive = false;
  options.client.proxy = tencent::proxyFromSettings(flags.proxy, tencent::processCredentialLookup(std::nullopt).getenv);
  options.secret = flags.secret;
  for (const auto& entry : flags.resolve) options.resolve.insert(tencent::parseResolveEntry(entry));
  notify::Notifier notifier(options);
  bool all = true;
  for (const auto& url : flags.urls) {
    const notify::Webhook hook = notify::parseWebhook(url);
    const auto failure = notifier.post(hook, summary, SystemClock().now());
    if (failure) std::cerr << "taskledger report: --notify: " << *failure << "\n";
    else if (verbose) std::cerr << "taskledger report: --notify: delivered to " << hook.name() << "\n";
    all = all && !failure;
  }
  return all;
}

}  // namespace taskledger::cli
