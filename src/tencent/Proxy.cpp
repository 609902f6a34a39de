#include "taskledger/tencent/Proxy.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <utility>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

// curl's default port for a proxy URL without one.
constexpr unsigned short kDefaultProxyPort = 1080;

// Splits "host", "host:port", "[v6]:port" and a bare IPv6 address into host and port ("" when
// none). Brackets are dropped, so "[::1]" and "::1" compare equal.
std::pair<std::string, std::string> splitHostPort(const std::string& text) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return {text, ""};
    const std::string rest = text.substr(close + 1);
    return {text.substr(1, close - 1), rest.size() > 1 && rest.front() == ':' ? rest.substr(1) : ""};
  }
  const auto colon = text.find(':');
  if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos) return {text, ""};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

// One NO_PROXY entry as curl and Go's httpproxy read it: "*" is every host; "domain",
// ".domain" and "*.domain" match the domain's subdomains, and the first form the domain itself
// too; an IP literal matches that address; ":port" restricts the entry to that port.
bool entryMatches(std::string entry, const std::string& host, const std::string& port) {
  entry = Poco::toLower(Poco::trim(entry));
  if (entry == "*") return true;
  auto [name, entry_port] = splitHostPort(entry);
  if (!entry_port.empty() && entry_port != port) return false;
  const bool subdomains_only = name.rfind("*.", 0) == 0 || name.rfind('.', 0) == 0;
  if (subdomains_only) name = name.substr(name.find('.') + 1);
  if (name.empty()) return false;
  if (host == name) return !subdomains_only;
  return host.size() > name.size() && host.compare(host.size() - name.size(), name.size(), name) == 0 &&
         host[host.size() - name.size() - 1] == '.';
}

}  // namespace

bool ProxySettings::bypasses(const std::string& host_with_port) const {
  const auto [host, port] = splitHostPort(Poco::toLower(host_with_port));
  for (const std::string& entry : no_proxy) {
    if (entryMatches(entry, host, port.empty() ? "443" : port)) return true;
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
  Poco::StringTokenizer entries(no_proxy, ", \t", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  p.no_proxy.assign(entries.begin(), entries.end());
  return p;
}

}  // namespace taskledger::tencent
