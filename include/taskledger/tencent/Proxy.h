#pragma once
// The HTTP proxy HTTPS requests are tunnelled through (CONNECT): from --proxy / INI `proxy`, or
// the environment's HTTPS_PROXY / https_proxy with NO_PROXY / no_proxy, as curl reads them.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace taskledger::tencent {

struct ProxySettings {
  std::string host;
  unsigned short port = 8080;
  std::string username;  // empty: no Proxy-Authorization
  std::string password;  // never printed: describe() masks it
  // Hosts that go direct, in the forms curl and the Go SDK take: "example.com" matches it and its
  // subdomains, ".example.com" and "*.example.com" only the subdomains, "*" every host, an IP
  // literal ("10.0.0.1", "[::1]") that address; "host:port" only on that port. Case-insensitive.
  std::vector<std::string> no_proxy;

  // `host` is "name", "name:port" or "[v6]:port"; without a port, 443 (HTTPS) is meant.
  bool bypasses(const std::string& host) const;
  // "http://user:***@proxy:3128", for messages.
  std::string describe() const;
};

// Parses "http://[user[:pass]@]host[:port][/]" (no scheme means http; port default 1080 as curl's).
// User and password may be percent-encoded. Throws Error::usage naming `what` (e.g. "--proxy")
// for anything else, without repeating the password.
ProxySettings parseProxyUrl(const std::string& url, const std::string& what);

// The proxy for HTTPS: `flag` when not empty, else HTTPS_PROXY or https_proxy from `getenv`;
// NO_PROXY or no_proxy (comma- or space-separated) fill no_proxy. nullopt: no proxy.
std::optional<ProxySettings> proxyFromSettings(const std::string& flag,
                                               const std::function<std::optional<std::string>(const std::string&)>& getenv);

}  // namespace taskledger::tencent
