#include "taskledger/import/RowValidator.h"

#include <gtest/gtest.h>

#include "taskledger/domain/Error.h"

namespace taskledger::import {
namespace {

constexpr const char* kId = "55c85074-3e7f-4c6d-864f-673660d4f8de";

// Keeps the strings a CsvRecord's views point into.
struct Row {
  std::vector<std::string> values;
  CsvRecord record;
  Row(std::size_t line, std::vector<std::string> v) : values(std::move(v)) {
    record.line = line;
    for (const auto& s : values) record.fields.emplace_back(s);
  }
};

RowDefaults regionDefault(const std::string& region) {
  RowDefaults d;
  d.region = region;
  return d;
}

// The reason a row is rejected, or "" when it is accepted.
std::string reasonFor(RowValidator& v, std::vector<std::string> fields, NewTask* out = nullptr) {
  Row row(7, std::move(fields));
  NewTask task;
  std::string reason;
  bool ok = v.toTask(row.record, task, reason);
  if (out) *out = task;
  return ok ? "" : reason;
}

TEST(RowValidator, HeaderNamesAreCaseInsensitiveAndAcceptTheAliases) {
  for (std::string id_name : {"request_id", "RequestId", "REQUESTID", "TaskId", "task_id", "Request ID"}) {
    SCOPED_TRACE(id_name);
    RowValidator v("f.csv", {});
    Row header(1, {"Region", id_name, "OPERATION", "Submitted_At", "profile", "Resource"});
    ASSERT_TRUE(v.readLayout(header.record));
    NewTask t;
    EXPECT_EQ(reasonFor(v, {"ap-guangzhou", kId, "CreateListener", "2026-11-27T10:00:00Z", "prod", "lb-1"}, &t), "");
    EXPECT_EQ(t.request_id, kId);
    EXPECT_EQ(t.region, "ap-guangzhou");
    EXPECT_EQ(t.operation, "CreateListener");
    EXPECT_EQ(t.profile, "prod");
    EXPECT_EQ(t.resource, "lb-1");
    EXPECT_EQ(t.submitted_at, parseIsoTimestamp("2026-11-27T10:00:00Z"));
    EXPECT_EQ(t.source, "f.csv:7");
  }
}

TEST(RowValidator, AFileOfBareIdsNeedsNoHeaderButNeedsARegion) {
  RowValidator v("ids.txt", regionDefault("ap-shanghai"));
  Row first(1, {kId});
  EXPECT_FALSE(v.readLayout(first.record));  // data, not a header
  NewTask t;
  EXPECT_EQ(reasonFor(v, {"55C85074-3E7F-4C6D-864F-673660D4F8DE"}, &t), "");
  EXPECT_EQ(t.request_id, kId);  // stored lower-case
  EXPECT_EQ(t.region, "ap-shanghai");
  EXPECT_EQ(t.profile, "default");
  EXPECT_FALSE(t.submitted_at.has_value());

  RowValidator no_region("ids.txt", {});
  try {
    no_region.readLayout(first.record);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_STREQ(e.what(), "ids.txt: a file of bare request ids needs --region");
  }
}

TEST(RowValidator, AOneColumnFileStartingWithNeitherHeaderNorIdRejectsOnlyThatRow) {
  RowValidator v("ids.txt", regionDefault("ap-shanghai"));
  Row first(1, {"ids"});
  EXPECT_FALSE(v.readLayout(first.record));
  EXPECT_EQ(reasonFor(v, {"ids"}), "request_id 'ids' is not a UUID");
  EXPECT_EQ(reasonFor(v, {kId}), "");
}

TEST(RowValidator, UnusableLayoutsAreErrorsNamingFileAndLine) {
  struct Bad {
    std::vector<std::string> first;
    RowDefaults defaults;
    ExitCode code;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{"region", "operation"}, {}, ExitCode::BadInput,
       "f.csv:2: the header has no request_id column (also accepted: RequestId, TaskId, task_id)"},
      {{"request_id", "operation"}, {}, ExitCode::Usage, "f.csv:2: the file has no region column; give --region"},
      {{"request_id", "TaskId", "region"}, {}, ExitCode::BadInput, "f.csv:2: the header names request_id twice"},
      {{kId, "ap-guangzhou"}, {}, ExitCode::BadInput,
       "f.csv:2: no header row; name the columns (request_id, region, operation, resource, submitted_at, profile)"
       " or give one request id per line"},
  };
  for (const auto& b : bad) {
    RowValidator v("f.csv", b.defaults);
    Row first(2, b.first);
    try {
      v.readLayout(first.record);
      ADD_FAILURE() << "no error for " << b.message;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), b.code);
      EXPECT_EQ(std::string(e.what()), b.message);
    }
  }
}

TEST(RowValidator, DefaultsFillMissingColumnsAndEmptyCells) {
  RowDefaults d;
  d.region = "ap-beijing";
  d.profile = "ops";
  d.operation = "DeleteLoadBalancer";
  RowValidator v("f.csv", d);
  Row header(1, {"request_id", "region", "operation"});
  ASSERT_TRUE(v.readLayout(header.record));
  NewTask t;
  EXPECT_EQ(reasonFor(v, {kId, "", " "}, &t), "");
  EXPECT_EQ(t.region, "ap-beijing");
  EXPECT_EQ(t.operation, "DeleteLoadBalancer");
  EXPECT_EQ(t.profile, "ops");
  EXPECT_EQ(reasonFor(v, {kId, "ap-guangzhou", "CreateListener"}, &t), "");
  EXPECT_EQ(t.region, "ap-guangzhou");  // the file's value wins over the default
  EXPECT_EQ(t.operation, "CreateListener");
}

TEST(RowValidator, EachBadValueIsNamedWithItsField) {
  RowValidator v("f.csv", {});
  Row header(1, {"request_id", "region", "submitted_at", "profile", "operation"});
  ASSERT_TRUE(v.readLayout(header.record));
  const std::string ok_time = "2026-11-27 10:00:00";
  struct Bad {
    std::vector<std::string> fields;
    std::string reason;
  };
  const std::vector<Bad> bad = {
      {{"abc", "ap-guangzhou", "", "", ""}, "request_id 'abc' is not a UUID"},
      {{"", "ap-guangzhou", "", "", ""}, "request_id is empty"},
      {{"55c85074-3e7f-4c6d-864f-673660d4f8dg", "ap-guangzhou", "", "", ""},
       "request_id '55c85074-3e7f-4c6d-864f-673660d4f8dg' is not a UUID"},
      {{kId, "", "", "", ""}, "region is empty and no --region was given"},
      {{kId, "Guangzhou", "", "", ""}, "region 'Guangzhou' is not a region (like ap-guangzhou)"},
      {{kId, "ap-guangzhou", "2026-13-01", "", ""},
       "submitted_at '2026-13-01' is not an ISO-8601 time (like 2026-11-27T10:00:00Z)"},
      {{kId, "ap-guangzhou", "yesterday", "", ""},
       "submitted_at 'yesterday' is not an ISO-8601 time (like 2026-11-27T10:00:00Z)"},
      {{kId, "ap-guangzhou", ok_time, "my profile", ""},
       "profile 'my profile' is not a profile name (letters, digits, '_', '-', '.'; no '..')"},
      {{kId, "ap-guangzhou", ok_time, "..", ""}, "profile '..' is not a profile name (letters, digits, '_', '-', '.'; no '..')"},
      {{kId, "ap-guangzhou", ok_time, "a..b", ""},
       "profile 'a..b' is not a profile name (letters, digits, '_', '-', '.'; no '..')"},
      {{kId, "ap-guangzhou", ok_time, "", std::string(129, 'x')}, "operation is longer than 128 characters"},
      {{kId, "ap-guangzhou", ""}, "3 fields, expected 5 (as in the header)"},
      {{kId, "ap-guangzhou", "", "", "", "extra"}, "6 fields, expected 5 (as in the header)"},
      {{std::string(60, 'z') + "\n", "ap-guangzhou", "", "", ""},
       "request_id '" + std::string(48, 'z') + "...' is not a UUID"},
      {{"a\nb", "ap-guangzhou", "", "", ""}, "request_id 'a?b' is not a UUID"},
      {{kId, "ap-guangzhou", "", "", "Create\xff\xfeListener"}, "operation is not valid UTF-8"},
      {{kId, "ap-guangzhou", "", "", "\xc0\xaf"}, "operation is not valid UTF-8"},          // overlong '/'
      {{kId, "ap-guangzhou", "", "", "\xed\xa0\x80"}, "operation is not valid UTF-8"},      // a surrogate
      {{kId, "ap-guangzhou", "", "", "\xf4\x90\x80\x80"}, "operation is not valid UTF-8"},  // past U+10FFFF
      {{kId, "ap-guangzhou", "", "", "\xe4\xb8"}, "operation is not valid UTF-8"},          // cut short
  };
  for (const auto& b : bad) EXPECT_EQ(reasonFor(v, b.fields), b.reason);
  EXPECT_EQ(reasonFor(v, {" " + std::string(kId) + "\t", " ap-guangzhou ", ok_time, "", ""}), "");
  EXPECT_EQ(reasonFor(v, {kId, "ap-guangzhou", "", "", "\xe5\x88\x9b\xe5\xbb\xba \xf0\x9f\x9a\x80 Créer"}), "");
}

TEST(RowValidator, SubmittedAtWithAndWithoutZone) {
  RowValidator v("f.csv", regionDefault("ap-guangzhou"));
  Row header(1, {"request_id", "submitted_at"});
  ASSERT_TRUE(v.readLayout(header.record));
  NewTask t;
  ASSERT_EQ(reasonFor(v, {kId, "2026-11-27T10:00:00+08:00"}, &t), "");
  EXPECT_EQ(formatIsoUtc(*t.submitted_at), "2026-11-27T02:00:00.000Z");
  ASSERT_EQ(reasonFor(v, {kId, "2026-11-27T10:00:00"}, &t), "");  // local time
  EXPECT_EQ(t.submitted_at, parseIsoTimestamp("2026-11-27T10:00:00"));
  ASSERT_EQ(reasonFor(v, {kId, ""}, &t), "");
  EXPECT_FALSE(t.submitted_at.has_value());  // the store uses the import time
}

// Issue 20: a time from a file is held to the sane range, as one from CloudAudit is.
TEST(RowValidator, ASubmittedAtBefore2000OrMoreThanADayAheadIsRejected) {
  RowValidator v("f.csv", regionDefault("ap-guangzhou"), parseIsoTimestamp("2026-11-27T10:00:00Z"));
  Row header(1, {"request_id", "submitted_at"});
  ASSERT_TRUE(v.readLayout(header.record));
  for (const char* bad : {"1999-12-31T23:59:59Z", "1970-01-01", "2036-11-27T10:00:00Z", "9999-12-31T23:59:59Z",
                          "2026-11-28T10:00:01Z"}) {
    EXPECT_EQ(reasonFor(v, {kId, bad}), std::string("submitted_at '") + bad + "' is not between 2000-01-01 and a day from now");
  }
  for (const char* good : {"2000-01-01T00:00:00Z", "2026-11-28T10:00:00Z"}) EXPECT_EQ(reasonFor(v, {kId, good}), "") << good;
}

TEST(RowValidator, UnknownColumnsAreListedAndIgnored) {
  RowValidator v("f.csv", regionDefault("ap-guangzhou"));
  Row header(1, {"request_id", "note", "", "Owner"});
  ASSERT_TRUE(v.readLayout(header.record));
  EXPECT_EQ(v.ignoredColumns(), (std::vector<std::string>{"note", "Owner"}));
  EXPECT_EQ(reasonFor(v, {kId, "anything", "", "x"}), "");
}

TEST(RowValidator, BadDefaultsAreUsageErrorsNamingTheFlag) {
  auto code_and_message = [](const RowDefaults& d) -> std::string {
    try {
      RowValidator v("f.csv", d);
    } catch (const Error& e) {
      return std::to_string(static_cast<int>(e.code())) + " " + e.what();
    }
    return "no error";
  };
  EXPECT_EQ(code_and_message(regionDefault("Guangzhou")), "2 --region: 'Guangzhou' is not a region (like ap-guangzhou)");
  RowDefaults bad_profile;
  bad_profile.profile = "a/b";
  EXPECT_EQ(code_and_message(bad_profile), "2 --profile: 'a/b' is not a profile name");
}

TEST(RowValidator, BlankRecordsAreRecognised) {
  Row blank(3, {"", " ", "\t"});
  Row not_blank(4, {"", "x"});
  EXPECT_TRUE(RowValidator::isBlank(blank.record));
  EXPECT_FALSE(RowValidator::isBlank(not_blank.record));
}

}  // namespace
}  // namespace taskledger::import
