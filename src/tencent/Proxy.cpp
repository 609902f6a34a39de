#include "taskledger/tencent/Proxy.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

// curl's default port for a proxy URL without one.
constexpr unsigned short kDefaultProxyPort = 1080;

std::string withoutPort(const std::string& host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  const auto colon = host.find(':');
  return colon == std::string::npos || host.find(':', colon + 1) != std::string::npos ? host : host.substr(0, colon);
}

}  // namespace

bool ProxySettings::bypasses(const std::string& host_with_port) const {
  const std::string host = Poco::toLower(withoutPort(host_with_port));
  for (std::string entry : no_proxy) {
    entry = Poco::toLower(entry);
    if (entry == "*") return true;
    if (entry.empty()) continue;
    const bool subdomains_only = entry.front() == '.';
    const std::string domain = subdomains_only ? entry.substr(1) : entry;
    if (!subdomains_only && host == domain) return true;
    if (host.size() > domain.size() && host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
        host[host.size() - domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::string ProxySettings::describe() const {
  std::string who;
  if (!username.empty()) who = username + (password.empty() ? "" : ":***") + "@";
  return "http://" + who + host + ":" + std::to_string(port);
}

ProxySettings parseProxyUrl(const std::string& url, const std::string& what) {
  const std::string text = url.find("://") == std::string::npos ? "http://" + url : url;
  // The URL may hold a password: a message shows only what comes after the '@'.
  const auto at = text.rfind('@');
  const std::string shown = at == std::string::npos ? text : "http://***@" + text.substr(at + 1);
  Poco::URI uri;
  try {
    uri = Poco::URI(text);
  } catch (const Poco::Exception&) {
    throw Error::usage(what + ": not a proxy URL: " + shown);
  }
  if (Poco::toLower(uri.getScheme()) != "http") {
    throw Error::usage(what + ": only http:// proxies are supported (HTTPS goes through them with CONNECT): " + shown);
  }
  if (uri.getHost().empty() || (!uri.getPath().empty() && uri.getPath() != "/") || !uri.getRawQuery().empty()) {
    throw Error::usage(what + ": expected http://[USER[:PASSWORD]@]HOST[:PORT]: " + shown);
  }
  ProxySettings p;
  p.host = uri.getHost();
  std::string authority = text.substr(text.find("://") + 3);
  authority = authority.substr(0, authority.find('/'));
  authority = authority.substr(authority.rfind('@') == std::string::npos ? 0 : authority.rfind('@') + 1);
  const bool explicit_port = authority.find(':', authority.front() == '[' ? authority.find(']') : 0) != std::string::npos;
  p.port = explicit_port ? uri.getPort() : kDefaultProxyPort;
  const std::string info = uri.getUserInfo();
  const auto colon = info.find(':');
  Poco::URI::decode(info.substr(0, colon), p.username);
  if (colon != std::string::npos) Poco::URI::decode(info.substr(colon + 1), p.password);
  return p;
}

std::optional<ProxySettings> proxyFromSettings(
    const std::string& flag, const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  std::string url = flag;
  std::string what = "--proxy";
  for (const char* name : {"HTTPS_PROXY", "https_proxy"}) {
    if (!url.empty()) break;
    url = getenv(name).value_or("");
    what = name;
  }
  if (url.empty()) return std::nullopt;
  ProxySettings p = parseProxyUrl(url, what);
  std::string no_proxy = getenv("NO_PROXY").value_or("");
  if (no_proxy.empty()) no_proxy = getenv("no_proxy").value_or("");
  Poco::StringTokenizer entries(no_proxy, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  p.no_proxy.assign(entries.begin(), entries.end());
  return p;
}

}  // namespace taskledger::tencent
