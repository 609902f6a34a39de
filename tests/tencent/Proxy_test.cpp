#include "taskledger/tencent/Proxy.h"

#include <gtest/gtest.h>

#include <map>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

std::function<std::optional<std::string>(const std::string&)> env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Proxy, UrlWithCredentialsAndPort) {
  const ProxySettings p = parseProxyUrl("http://bob:p%40ss@proxy.corp:3128/", "--proxy");
  EXPECT_EQ(p.host, "proxy.corp");
  EXPECT_EQ(p.port, 3128);
  EXPECT_EQ(p.username, "bob");
  EXPECT_EQ(p.password, "p@ss");
  EXPECT_EQ(p.describe(), "http://bob:***@proxy.corp:3128");
}

TEST(Proxy, NoSchemeMeansHttpAndNoPortMeansCurlsDefault) {
  const ProxySettings p = parseProxyUrl("proxy.corp", "HTTPS_PROXY");
  EXPECT_EQ(p.host, "proxy.corp");
  EXPECT_EQ(p.port, 1080);
  EXPECT_TRUE(p.username.empty());
  EXPECT_EQ(parseProxyUrl("http://proxy.corp:80", "--proxy").port, 80);
}

TEST(Proxy, BadUrlsAreUsageErrorsThatNeverShowThePassword) {
  for (const std::string url : {"https://u:topsecret@proxy:443", "socks5://u:topsecret@proxy", "http://u:topsecret@/",
                                "http://u:topsecret@proxy:3128/path"}) {
    try {
      parseProxyUrl(url, "--proxy");
      ADD_FAILURE() << "accepted a bad proxy URL";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Usage);
      EXPECT_NE(std::string(e.what()).find("--proxy"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos) << e.what();
    }
  }
}

TEST(Proxy, TheFlagWinsThenHttpsProxyThenItsLowerCaseForm) {
  EXPECT_EQ(proxyFromSettings("http://flag:1", env({{"HTTPS_PROXY", "http://env:2"}}))->host, "flag");
  EXPECT_EQ(proxyFromSettings("", env({{"HTTPS_PROXY", "http://env:2"}, {"https_proxy", "http://low:3"}}))->host, "env");
  EXPECT_EQ(proxyFromSettings("", env({{"https_proxy", "http://low:3"}}))->host, "low");
  EXPECT_FALSE(proxyFromSettings("", env({{"HTTP_PROXY", "http://plain:4"}})).has_value());
}

TEST(Proxy, NoProxyListsHostsThatGoDirect) {
  auto p = proxyFromSettings("http://proxy:3128", env({{"NO_PROXY", " localhost, .internal.example ,tencentcloudapi.com"}}));
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->bypasses("localhost"));
  EXPECT_TRUE(p->bypasses("clb.ap-guangzhou.tencentcloudapi.com"));
  EXPECT_TRUE(p->bypasses("TencentCloudAPI.com:443"));
  EXPECT_TRUE(p->bypasses("a.internal.example"));
  EXPECT_FALSE(p->bypasses("internal.example"));
  EXPECT_FALSE(p->bypasses("nottencentcloudapi.com"));
  EXPECT_TRUE(proxyFromSettings("http://proxy:3128", env({{"no_proxy", "*"}}))->bypasses("anything"));
}

// The forms curl and the Go SDK take, which users copy from their other tools' settings.
TEST(Proxy, NoProxyTakesTheFormsCurlAndTheGoSdkTake) {
  const auto with = [](const std::string& list) { return *proxyFromSettings("http://proxy:3128", env({{"NO_PROXY", list}})); };
  const ProxySettings wildcard = with("*.tencentcloudapi.com");
  EXPECT_TRUE(wildcard.bypasses("clb.ap-guangzhou.tencentcloudapi.com"));
  EXPECT_TRUE(wildcard.bypasses("STS.TencentCloudAPI.com:443"));
  EXPECT_FALSE(wildcard.bypasses("tencentcloudapi.com.evil.example"));

  const ProxySettings ports = with("clb.ap-guangzhou.tencentcloudapi.com:443 sts.tencentcloudapi.com:8443");
  EXPECT_TRUE(ports.bypasses("clb.ap-guangzhou.tencentcloudapi.com"));
  EXPECT_TRUE(ports.bypasses("clb.ap-guangzhou.tencentcloudapi.com:443"));
  EXPECT_FALSE(ports.bypasses("clb.ap-guangzhou.tencentcloudapi.com:8443"));
  EXPECT_TRUE(ports.bypasses("sts.tencentcloudapi.com:8443"));
  EXPECT_FALSE(ports.bypasses("sts.tencentcloudapi.com"));

  const ProxySettings ips = with("10.0.0.1,[::1], 192.168.1.7:443");
  EXPECT_TRUE(ips.bypasses("10.0.0.1:8443"));
  EXPECT_TRUE(ips.bypasses("[::1]:443"));
  EXPECT_TRUE(ips.bypasses("192.168.1.7"));
  EXPECT_FALSE(ips.bypasses("10.0.0.10"));

  EXPECT_TRUE(with("  *  ").bypasses("anything.example:1"));
  EXPECT_TRUE(with("Example.COM").bypasses("a.b.example.com"));
}

}  // namespace
}  // namespace taskledger::tencent
