#include "taskledger/domain/Validation.h"

#include <gtest/gtest.h>

namespace taskledger {
namespace {

TEST(Validation, RequestIdIsAUuidStoredLowerCase) {
  EXPECT_EQ(normalizeRequestId("55C85074-3E7F-4c6d-864f-673660D4F8DE"), "55c85074-3e7f-4c6d-864f-673660d4f8de");
  for (const char* bad : {"", "55c850743e7f4c6d864f673660d4f8de", "55c85074-3e7f-4c6d-864f-673660d4f8d",
                          "55c85074-3e7f-4c6d-864f-673660d4f8dex", "g5c85074-3e7f-4c6d-864f-673660d4f8de",
                          "55c85074_3e7f-4c6d-864f-673660d4f8de", " 55c85074-3e7f-4c6d-864f-673660d4f8d"}) {
    EXPECT_FALSE(normalizeRequestId(bad)) << bad;
  }
}

TEST(Validation, RegionsFollowTencentsForm) {
  for (const char* good : {"ap-guangzhou", "ap-shanghai-fsi", "na-siliconvalley", "eu-frankfurt", "ap-shenzhen-fsi",
                           "sa-saopaulo", "ap-beijing-1"}) {
    EXPECT_TRUE(isValidRegion(good)) << good;
  }
  for (const char* bad : {"", "guangzhou", "AP-guangzhou", "ap-", "ap--x", "ap-guangzhou-", "a-guangzhou",
                          "ap_guangzhou", "ap-guang zhou"}) {
    EXPECT_FALSE(isValidRegion(bad)) << bad;
  }
}

TEST(Validation, FinanceRegionsEndInFsi) {
  EXPECT_TRUE(isFinanceRegion("ap-shanghai-fsi"));
  EXPECT_TRUE(isFinanceRegion("ap-shenzhen-fsi"));
  EXPECT_FALSE(isFinanceRegion("ap-shanghai"));
  EXPECT_FALSE(isFinanceRegion("fsi"));
}

}  // namespace
}  // namespace taskledger

namespace taskledger {
namespace {

TEST(Validation, Utf8MustBeWellFormed) {
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("\xe6\x9c\xaa\xe5\x91\xbd\xe5\x90\x8d"));  // 未命名
  EXPECT_TRUE(isValidUtf8("\xf0\x9f\x98\x80"));                       // U+1F600
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe6\x9c",
                          "ok\x80"}) {
    EXPECT_FALSE(isValidUtf8(bad)) << bad;
  }
  EXPECT_EQ(utf8SequenceLength("a\xe6\x9c\xaa", 1), 3u);
  EXPECT_EQ(utf8SequenceLength("\xc0\xaf", 0), 0u);
}

}  // namespace
}  // namespace taskledger
