#pragma once
// Which host a region's requests go to, and which address to connect to for it.
//
// Choice of host, most specific first:
//   1. --endpoint URL: every request goes there (private deployments, the local endpoint).
//   2. finance regions ("...-fsi") always use their own host "<service>.<region>.<root domain>"
//      (the API's documentation requires it).
//   3. --endpoint-mode nearest: "<service>.<root domain>".
//   4. otherwise (regional, the default): "<service>.<region>.<root domain>"; each regional
//      access host has its own 20/s budget.
// Tencent's own sub-domains of tencentcloudapi.com put their label before the region:
// "clb.internal.ap-guangzhou.tencentcloudapi.com" (regional and finance), "clb.internal.
// tencentcloudapi.com" (nearest) (API.md). The international site ("intl") labels only its
// nearest host: its regional hosts are the public "clb.ap-singapore.tencentcloudapi.com".
// The root domain is --root-domain (INI root-domain, env TENCENTCLOUD_DOMAIN), by default
// "tencentcloudapi.com"; "internal.tencentcloudapi.com" inside a VPC without internet egress.
// --resolve HOST:ADDR[:PORT] then says where to connect for HOST (port default 443; for a plain
// HTTP host such as the metadata service, its own port 80); the real host name is still sent in
// Host, signed, sent as TLS SNI and checked against the certificate. It applies to every host the
// tool talks to (CLB, STS, metadata): connectTarget() answers for the hosts that are not an API's.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace taskledger::tencent {

enum class EndpointMode { Regional, Nearest };

struct Endpoint {
  std::string host_header;      // sent and signed as Host: "clb.ap-guangzhou.tencentcloudapi.com",
                                // or "127.0.0.1:8443" for an --endpoint with a port other than 443
  std::string tls_host;         // SNI and certificate name: host_header without the port
  std::string connect_address;  // where the TCP connection goes (tls_host unless --resolve)
  std::uint16_t connect_port = 443;

  bool operator==(const Endpoint&) const = default;
};

struct ConnectTarget {
  std::string address;
  std::uint16_t port = 443;
  bool operator==(const ConnectTarget&) const = default;
};

class EndpointResolver {
 public:
  // `service` is the ApiSpec's host prefix ("clb"). Hosts in `resolve` are compared lower-cased.
  EndpointResolver(std::string service, EndpointMode mode, std::optional<Endpoint> endpoint_override,
                   std::map<std::string, ConnectTarget> resolve, std::string root_domain = kDefaultRootDomain,
                   std::set<std::string> resolve_without_port = {});

  static constexpr const char* kDefaultRootDomain = "tencentcloudapi.com";

  // From the command-line values. Throws Error::usage naming the flag for a bad --endpoint-mode
  // ("regional" or "nearest"; empty means regional), --endpoint (https://HOST[:PORT][/] only: no
  // plain http, path, query or user info), --resolve (HOST:ADDR[:PORT], IPv6 ADDR in brackets)
  // or --root-domain (a host name; empty means tencentcloudapi.com).
  static EndpointResolver fromFlags(const std::string& service, const std::string& mode,
                                    const std::string& endpoint_url, const std::vector<std::string>& resolve,
                                    const std::string& root_domain = "");

  // Where requests for `region` go. Throws Error::badInput when `region` is not of Tencent's
  // region form (a host name must never be built from arbitrary text).
  Endpoint resolve(const std::string& region) const;

  // The Host that `region` uses: the key of the per-(credential, host) rate limiter.
  std::string hostFor(const std::string& region) const { return resolve(region).host_header; }

  // "<service>.<root domain>", e.g. "sts.tencentcloudapi.com": an API without regional hosts.
  std::string serviceHost(const std::string& service) const { return service + "." + root_domain_; }
  const std::string& rootDomain() const { return root_domain_; }

  // Where to connect for `host` (lower-case): its --resolve entry, else the host itself at
  // `default_port`. An entry written without a port means `default_port` (80 for plain HTTP).
  ConnectTarget connectTarget(const std::string& host, std::uint16_t default_port) const;

 private:
  std::string regionalHost(const std::string& region) const;

  std::string service_;
  EndpointMode mode_;
  std::optional<Endpoint> endpoint_override_;
  std::map<std::string, ConnectTarget> resolve_;
  std::string root_domain_;
  std::set<std::string> resolve_without_port_;  // hosts whose --resolve entry named no port
};

// Parsers for single flag values; exposed for the CLI's own validation. Throw Error::usage.
Endpoint parseEndpointUrl(const std::string& url);
std::pair<std::string, ConnectTarget> parseResolveEntry(const std::string& entry);

}  // namespace taskledger::tencent
