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
