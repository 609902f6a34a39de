// Issue 23 item 3: every row of the README's error table ("code | handling | exit") says what the
// classifier does. The codes are read from the README itself, so a row edited on one side only
// fails here; what the scheduler does with each consequence is tests/scheduler/ErrorHandling_test.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/MockEndpointProcess.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

using C = ErrorConsequence;

struct Row {
  std::vector<std::string> codes;  // the backticked codes of its first column, sub-codes made whole
  std::string text;
};

// The README's error table, row by row.
std::vector<Row> readmeErrorRows() {
  std::istringstream in(testing::readFile(std::string(TASKLEDGER_SOURCE_DIR) + "/README.md"));
  std::vector<Row> rows;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| code | handling | exit |", 0) == 0) {
      inside = true;
      continue;
    }
    if (!inside || line.rfind("|---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') break;
    Row row{{}, line};
    const std::string first = line.substr(1, line.find('|', 1) - 1);
    static const std::regex code("`([A-Za-z.]+)(\\.\\*)?`");
    for (std::sregex_iterator it(first.begin(), first.end(), code), end; it != end; ++it) {
      std::string c = (*it)[1];
      if (c[0] == '.' && !row.codes.empty()) c = row.codes.front().substr(0, row.codes.front().find('.')) + c;
      row.codes.push_back(c);
    }
    rows.push_back(row);
  }
  return rows;
}

struct Expected {
  std::string first_code;  // how the row starts
  C consequence;
  bool rate_limited = false;
  bool account_wide = false;
  bool unknown = false;
};

TEST(ReadmeErrorTable, EveryRowIsWhatTheClassifierDoes) {
  // The README's rows in order, and the handling each one describes.
  const std::vector<Expected> expected{
      {"RequestLimitExceeded", C::RetryLater, true, false},
      {"RequestLimitExceeded.UinLimitExceeded", C::RetryLater, true, true},
      {"InternalError", C::RetryLater},
      {"AuthFailure", C::RefuseCredentials},
      {"AuthFailure.SignatureExpire", C::StopRun},
      {"UnsupportedRegion", C::ParkRegion},
      {"InvalidParameter", C::RejectTask},
      {"FailedOperation", C::RejectAfterRepeats},
      {"UnknownParameter", C::StopRun},
      {"Status", C::KeepWaiting},
      {"LimitExceeded", C::RetryLater, false, false, true},
  };
  const auto rows = readmeErrorRows();
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const Expected& want = expected[i];
    ASSERT_FALSE(row.codes.empty()) << row.text;
    EXPECT_EQ(row.codes.front(), want.first_code) << row.text;
    for (std::string code : row.codes) {
      if (code == "Status") code = kCodeUnknownStatus;  // "a `Status` outside 0..2"
      const Classification got = classifyErrorCode(code);
      EXPECT_EQ(got.consequence, want.consequence) << code << " in: " << row.text;
      EXPECT_EQ(got.rate_limited, want.rate_limited) << code;
      EXPECT_EQ(got.account_wide, want.account_wide) << code;
      EXPECT_EQ(got.unknown_code, want.unknown) << code;
    }
  }
}

// The numbers the README's rows promise are the defaults the scheduler runs with.
TEST(ReadmeErrorTable, TheFailedOperationRowStatesItsOncePerRunAndItsCount) {
  std::string failed_operation;
  for (const auto& row : readmeErrorRows()) {
    if (!row.codes.empty() && row.codes.front() == "FailedOperation") failed_operation = row.text;
  }
  EXPECT_NE(failed_operation.find("asked once per run (an `--until-done` run too)"), std::string::npos);
  EXPECT_NE(failed_operation.find("after 5 such answers"), std::string::npos);
}

}  // namespace
}  // namespace taskledger::tencent
