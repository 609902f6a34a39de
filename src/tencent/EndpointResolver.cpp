#include "taskledger/tencent/EndpointResolver.h"

#include <Poco/String.h>

#include <algorithm>
#include <charconv>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::tencent {
namespace {

constexpr std::uint16_t kHttpsPort = 443;

bool isHostName(const std::string& h) {
  if (h.empty() || h.size() > 253 || h.front() == '.' || h.front() == '-' || h.back() == '.') return false;
  return std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

bool isIpv6Literal(const std::string& h) {
  return !h.empty() && h.find(':') != std::string::npos && std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
  });
}

std::optional<std::uint16_t> parsePort(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

struct HostPort {
  std::string host;  // lower-cased, IPv6 without brackets
  bool ipv6 = false;
  std::optional<std::uint16_t> port;
};

// "host", "host:port", "[v6]" or "[v6]:port"; nullopt when malformed.
std::optional<HostPort> parseHostPort(const std::string& text) {
  HostPort hp;
  std::string rest;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return std::nullopt;
    hp.host = Poco::toLower(text.substr(1, close - 1));
    hp.ipv6 = true;
    if (!isIpv6Literal(hp.host)) return std::nullopt;
    rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
  } else {
    const auto colon = text.find(':');
    hp.host = Poco::toLower(text.substr(0, colon));
    if (!isHostName(hp.host)) return std::nullopt;
    if (colon != std::string::npos) rest = text.substr(colon);
  }
  if (!rest.empty()) {
    hp.port = parsePort(rest.substr(1));
    if (!hp.port) return std::nullopt;
  }
  return hp;
}

}  // namespace

Endpoint parseEndpointUrl(const std::string& url) {
  const auto fail = [&](const std::string& why) {
    return Error::usage("--endpoint '" + url + "': " + why);
  };
  const std::string scheme_end = "://";
  const auto sep = url.find(scheme_end);
  if (sep == std::string::npos) throw fail("expected https://HOST[:PORT]");
  const std::string scheme = Poco::toLower(url.substr(0, sep));
  if (scheme != "https") throw fail("only https is supported (certificate verification cannot be turned off)");
  const std::string after = url.substr(sep + scheme_end.size());
  const auto path_start = after.find_first_of("/?#");
  const std::string authority = after.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "" : after.substr(path_start);
  if (!path.empty() && path != "/") throw fail("the API is served at '/'; no path, query or fragment");
  if (authority.find('@') != std::string::npos) throw fail("user info is not supported");
  const auto hp = parseHostPort(authority);
  if (!hp) throw fail("expected https://HOST[:PORT] with a valid host and port 1-65535");

  Endpoint e;
  e.tls_host = hp->host;
  e.connect_address = hp->host;
  e.connect_port = hp->port.value_or(kHttpsPort);
  e.host_header = hp->ipv6 ? "[" + hp->host + "]" : hp->host;
  if (e.connect_port != kHttpsPort) e.host_header += ":" + std::to_string(e.connect_port);
  return e;
}

namespace {

struct ResolveEntry {
  std::string host;
  ConnectTarget target;
  bool port_given = false;
};

ResolveEntry parseResolve(const std::string& entry) {
  const auto fail = [&](const std::string& why) {
    return Error::usage("--resolve '" + entry + "': " + why + " (expected HOST:ADDR[:PORT], IPv6 ADDR in brackets)");
  };
  const auto colon = entry.find(':');
  if (colon == std::string::npos) throw fail("no address");
  const std::string host = Poco::toLower(entry.substr(0, colon));
  if (!isHostName(host)) throw fail("bad host name");
  const auto target = parseHostPort(entry.substr(colon + 1));
  if (!target || target->host.empty()) throw fail("bad address or port");
  return {host, ConnectTarget{target->host, target->port.value_or(kHttpsPort)}, target->port.has_value()};
}

}  // namespace

std::pair<std::string, ConnectTarget> parseResolveEntry(const std::string& entry) {
  auto parsed = parseResolve(entry);
  return {parsed.host, parsed.target};
}

EndpointResolver::EndpointResolver(std::string service, EndpointMode mode, std::optional<Endpoint> endpoint_override,
                                   std::map<std::string, ConnectTarget> resolve, std::string root_domain,
                                   std::set<std::string> resolve_without_port)
    : service_(std::move(service)),
      mode_(mode),
      endpoint_override_(std::move(endpoint_override)),
      resolve_(std::move(resolve)),
      root_domain_(std::move(root_domain)),
      resolve_without_port_(std::move(resolve_without_port)) {}

EndpointResolver EndpointResolver::fromFlags(const std::string& service, const std::string& mode,
                                             const std::string& endpoint_url,
                                             const std::vector<std::string>& resolve,
                                             const std::string& root_domain) {
  EndpointMode m = EndpointMode::Regional;
  if (mode == "nearest") {
    m = EndpointMode::Nearest;
  } else if (!mode.empty() && mode != "regional") {
    throw Error::usage("--endpoint-mode '" + mode + "': expected regional or nearest");
  }
  std::optional<Endpoint> override;
  if (!endpoint_url.empty()) override = parseEndpointUrl(endpoint_url);
  std::map<std::string, ConnectTarget> targets;
  std::set<std::string> without_port;
  for (const std::string& entry : resolve) {
    auto parsed = parseResolve(entry);
    const auto [it, inserted] = targets.emplace(parsed.host, parsed.target);
    if (!inserted && !(it->second == parsed.target)) {
      throw Error::usage("--resolve: two different addresses for " + parsed.host);
    }
    if (!parsed.port_given) without_port.insert(parsed.host);
  }
  std::string domain = root_domain.empty() ? kDefaultRootDomain : Poco::toLower(root_domain);
  if (!isHostName(domain) || domain.find('.') == std::string::npos) {
    throw Error::usage("--root-domain '" + root_domain + "': expected a domain such as internal.tencentcloudapi.com");
  }
  return EndpointResolver(service, m, std::move(override), std::move(targets), std::move(domain),
                          std::move(without_port));
}

Endpoint EndpointResolver::resolve(const std::string& region) const {
  if (!isValidRegion(region)) throw Error::badInput("invalid region '" + region + "'");
  Endpoint e;
  if (endpoint_override_) {
    e = *endpoint_override_;
  } else {
    const bool nearest = mode_ == EndpointMode::Nearest && !isFinanceRegion(region);
    e.tls_host = nearest ? serviceHost(service_) : regionalHost(region);
    e.host_header = e.tls_host;
    e.connect_address = e.tls_host;
    e.connect_port = kHttpsPort;
  }
  if (const auto it = resolve_.find(e.tls_host); it != resolve_.end()) {
    e.connect_address = it->second.address;
    e.connect_port = it->second.port;
  }
  return e;
}

std::string EndpointResolver::regionalHost(const std::string& region) const {
  // Tencent's own sub-domains put their label right after the service, before the region
  // ("clb.internal.ap-guangzhou.tencentcloudapi.com"; API.md "Endpoints beyond the public regional
  // hosts"); any other root domain is a private deployment's, in the public form.
  static const std::string kTencent = std::string(".") + kDefaultRootDomain;
  const bool sub_domain = root_domain_.size() > kTencent.size() &&
                          root_domain_.compare(root_domain_.size() - kTencent.size(), kTencent.size(), kTencent) == 0;
  if (!sub_domain) return service_ + "." + region + "." + root_domain_;
  const std::string label = root_domain_.substr(0, root_domain_.size() - kTencent.size());
  // The international site's nearest host has its label ("clb.intl.tencentcloudapi.com"), but
  // its regional hosts are the public ones: its CLB "Request Structure" page
  // (tencentcloud.com/document/api/214/33791) lists clb.ap-singapore.tencentcloudapi.com.
  if (label == "intl") return service_ + "." + region + kTencent;
  return service_ + "." + label + "." + region + kTencent;
}

ConnectTarget EndpointResolver::connectTarget(const std::string& host, std::uint16_t default_port) const {
  const auto it = resolve_.find(host);
  if (it == resolve_.end()) return ConnectTarget{host, default_port};
  ConnectTarget target = it->second;
  if (resolve_without_port_.count(host) > 0) target.port = default_port;
  return target;
}

}  // namespace taskledger::tencent
