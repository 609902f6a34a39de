// Which host each region's requests go to, and where the connection goes.
#include "taskledger/tencent/EndpointResolver.h"

#include <gtest/gtest.h>

#include <functional>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

EndpointResolver flags(const std::string& mode, const std::string& url = "",
                       const std::vector<std::string>& resolve = {}) {
  return EndpointResolver::fromFlags("clb", mode, url, resolve);
}

TEST(EndpointResolver, RegionalHostByDefault) {
  const Endpoint e = flags("").resolve("ap-guangzhou");
  EXPECT_EQ(e.host_header, "clb.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(e.tls_host, "clb.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(e.connect_address, "clb.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(e.connect_port, 443);
  EXPECT_EQ(flags("regional").hostFor("na-siliconvalley"), "clb.na-siliconvalley.tencentcloudapi.com");
}

TEST(EndpointResolver, ServicePrefixComesFromTheApiSpec) {
  EXPECT_EQ(EndpointResolver::fromFlags("cvm", "", "", {}).hostFor("ap-tokyo"), "cvm.ap-tokyo.tencentcloudapi.com");
  EXPECT_EQ(EndpointResolver::fromFlags("cvm", "nearest", "", {}).hostFor("ap-tokyo"), "cvm.tencentcloudapi.com");
}

TEST(EndpointResolver, NearestModeUsesTheNearestHost) {
  EXPECT_EQ(flags("nearest").hostFor("ap-guangzhou"), "clb.tencentcloudapi.com");
  EXPECT_EQ(flags("nearest").hostFor("eu-frankfurt"), "clb.tencentcloudapi.com");
}

TEST(EndpointResolver, FinanceRegionsAlwaysUseTheirOwnHost) {
  for (const std::string mode : {"regional", "nearest"}) {
    EXPECT_EQ(flags(mode).hostFor("ap-shanghai-fsi"), "clb.ap-shanghai-fsi.tencentcloudapi.com") << mode;
    EXPECT_EQ(flags(mode).hostFor("ap-shenzhen-fsi"), "clb.ap-shenzhen-fsi.tencentcloudapi.com") << mode;
    EXPECT_EQ(flags(mode).hostFor("ap-newcity-fsi"), "clb.ap-newcity-fsi.tencentcloudapi.com") << mode;
  }
}

TEST(EndpointResolver, EndpointUrlOverridesEverything) {
  const auto r = flags("nearest", "https://127.0.0.1:8443");
  for (const std::string region : {"ap-guangzhou", "ap-shanghai-fsi"}) {
    const Endpoint e = r.resolve(region);
    EXPECT_EQ(e.host_header, "127.0.0.1:8443");
    EXPECT_EQ(e.tls_host, "127.0.0.1");
    EXPECT_EQ(e.connect_address, "127.0.0.1");
    EXPECT_EQ(e.connect_port, 8443);
  }
}

TEST(EndpointResolver, EndpointOnPort443HasNoPortInHost) {
  const Endpoint e = flags("", "HTTPS://Clb.Internal.Example/").resolve("ap-guangzhou");
  EXPECT_EQ(e.host_header, "clb.internal.example");
  EXPECT_EQ(e.connect_port, 443);
}

TEST(EndpointResolver, EndpointIpv6Literal) {
  const Endpoint e = flags("", "https://[::1]:9443").resolve("ap-guangzhou");
  EXPECT_EQ(e.host_header, "[::1]:9443");
  EXPECT_EQ(e.tls_host, "::1");
  EXPECT_EQ(e.connect_address, "::1");
  EXPECT_EQ(e.connect_port, 9443);
}

TEST(EndpointResolver, ResolveConnectsElsewhereButKeepsTheRealName) {
  const auto r = flags("", "", {"clb.ap-guangzhou.tencentcloudapi.com:127.0.0.1:8443", "CLB.AP-Tokyo.tencentcloudapi.com:10.0.0.7"});
  const Endpoint gz = r.resolve("ap-guangzhou");
  EXPECT_EQ(gz.host_header, "clb.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(gz.tls_host, "clb.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(gz.connect_address, "127.0.0.1");
  EXPECT_EQ(gz.connect_port, 8443);
  const Endpoint tokyo = r.resolve("ap-tokyo");
  EXPECT_EQ(tokyo.connect_address, "10.0.0.7");
  EXPECT_EQ(tokyo.connect_port, 443);
  EXPECT_EQ(r.resolve("ap-beijing").connect_address, "clb.ap-beijing.tencentcloudapi.com");
}

TEST(EndpointResolver, ResolveAlsoAppliesToTheEndpointHost) {
  const Endpoint e = flags("", "https://clb.private.example:9443", {"clb.private.example:[::1]:7443"}).resolve("ap-guangzhou");
  EXPECT_EQ(e.host_header, "clb.private.example:9443");
  EXPECT_EQ(e.tls_host, "clb.private.example");
  EXPECT_EQ(e.connect_address, "::1");
  EXPECT_EQ(e.connect_port, 7443);
}

TEST(EndpointResolver, InvalidRegionBuildsNoHost) {
  for (const std::string region : {"", "guangzhou", "ap-guangzhou.evil.com", "AP-GUANGZHOU", "ap-gz/x"}) {
    try {
      flags("").resolve(region);
      ADD_FAILURE() << "accepted '" << region << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::BadInput);
    }
  }
}

void expectUsageError(const std::function<void()>& f, const std::string& flag) {
  try {
    f();
    ADD_FAILURE() << "no error for " << flag;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
  }
}

class BadEndpointUrl : public ::testing::TestWithParam<std::string> {};
TEST_P(BadEndpointUrl, IsAUsageErrorNamingTheFlag) {
  expectUsageError([&] { flags("", GetParam()); }, "--endpoint");
}
INSTANTIATE_TEST_SUITE_P(Cases, BadEndpointUrl,
                         ::testing::Values("http://127.0.0.1:8443", "127.0.0.1:8443", "https://", "https://:8443",
                                           "https://host:0", "https://host:65536", "https://host:80x",
                                           "https://host/v3", "https://host?x=1", "https://user@host",
                                           "https://ho st", "https://[::1", "https://[zz]:1", "ftp://host"));

class BadResolveEntry : public ::testing::TestWithParam<std::string> {};
TEST_P(BadResolveEntry, IsAUsageErrorNamingTheFlag) {
  expectUsageError([&] { flags("", "", {GetParam()}); }, "--resolve");
}
INSTANTIATE_TEST_SUITE_P(Cases, BadResolveEntry,
                         ::testing::Values("clb.example", "clb.example:", ":127.0.0.1", "clb.example:127.0.0.1:",
                                           "clb.example:127.0.0.1:99999", "clb.example:127.0.0.1:x",
                                           "clb.example:::1", "clb.example:[::1", "bad host:127.0.0.1"));

TEST(EndpointResolver, ConflictingResolveEntriesAreRefused) {
  expectUsageError([] { flags("", "", {"a.example:127.0.0.1:1", "a.example:127.0.0.1:2"}); }, "--resolve");
  EXPECT_NO_THROW(flags("", "", {"a.example:127.0.0.1:1", "A.example:127.0.0.1:1"}));
}

TEST(EndpointResolver, BadModeIsAUsageError) {
  expectUsageError([] { flags("fastest"); }, "--endpoint-mode");
}

// Inside a VPC without internet egress every host moves to the internal domain, finance and
// nearest hosts and STS included.
TEST(EndpointResolver, RootDomainAppliesToEveryHost) {
  const std::string internal = "internal.tencentcloudapi.com";
  // Tencent's form, label before the region (issue 21: the reverse was no Tencent host, and every
  // region of a VPC without egress got parked).
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, internal).hostFor("ap-guangzhou"),
            "clb.internal.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "nearest", "", {}, internal).hostFor("ap-guangzhou"),
            "clb.internal.tencentcloudapi.com");
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "nearest", "", {}, internal).hostFor("ap-shanghai-fsi"),
            "clb.internal.ap-shanghai-fsi.tencentcloudapi.com");
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, internal).hostFor("ap-shenzhen-fsi"),
            "clb.internal.ap-shenzhen-fsi.tencentcloudapi.com");
  const std::string intl = "intl.tencentcloudapi.com";
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "nearest", "", {}, intl).hostFor("ap-singapore"), "clb.intl.tencentcloudapi.com");
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, intl).serviceHost("cloudaudit"), "cloudaudit.intl.tencentcloudapi.com");
  // Its regional hosts are the public ones, as the international site's CLB "Request Structure"
  // page lists them (tencentcloud.com/document/api/214/33791).
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, intl).hostFor("ap-singapore"),
            "clb.ap-singapore.tencentcloudapi.com");
  // A private deployment's own domain keeps the public form.
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, "api.example.com").hostFor("ap-guangzhou"),
            "clb.ap-guangzhou.api.example.com");
  EXPECT_EQ(EndpointResolver::fromFlags("clb", "", "", {}, internal).serviceHost("sts"), "sts.internal.tencentcloudapi.com");
  EXPECT_EQ(flags("").serviceHost("sts"), "sts.tencentcloudapi.com");
  const auto resolved = EndpointResolver::fromFlags("clb", "", "", {"clb.internal.ap-guangzhou.tencentcloudapi.com:10.0.0.1"},
                                                    "Internal.TencentCloudAPI.com");
  EXPECT_EQ(resolved.resolve("ap-guangzhou").connect_address, "10.0.0.1");
}

TEST(EndpointResolver, BadRootDomainIsAUsageError) {
  for (const std::string bad : {"com", "bad domain.com", ".tencentcloudapi.com", "a/b.com"}) {
    expectUsageError([&] { EndpointResolver::fromFlags("clb", "", "", {}, bad); }, "--root-domain");
  }
}

// STS and the metadata service: --resolve applies, and a plain-HTTP host keeps its own port
// unless the entry names one.
TEST(EndpointResolver, ConnectTargetOfOtherHosts) {
  const auto r = flags("", "", {"metadata.tencentyun.com:127.0.0.1:8080", "sts.tencentcloudapi.com:127.0.0.2",
                                "other.example:127.0.0.3"});
  EXPECT_EQ(r.connectTarget("metadata.tencentyun.com", 80), (ConnectTarget{"127.0.0.1", 8080}));
  EXPECT_EQ(r.connectTarget("sts.tencentcloudapi.com", 443), (ConnectTarget{"127.0.0.2", 443}));
  EXPECT_EQ(r.connectTarget("other.example", 80), (ConnectTarget{"127.0.0.3", 80}));
  EXPECT_EQ(r.connectTarget("unlisted.example", 80), (ConnectTarget{"unlisted.example", 80}));
}

}  // namespace
}  // namespace taskledger::tencent
