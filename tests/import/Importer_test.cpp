#include "taskledger/import/Importer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "support/FakeTaskStore.h"
#include "taskledger/domain/Error.h"

namespace taskledger::import {
namespace {

using testing::FakeTaskStore;

const TimePoint kNow = *parseIsoTimestamp("2026-11-27T12:00:00Z");

// A distinct, valid request id for each n.
std::string idOf(unsigned n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012x", n * 2654435761u, n);
  return buf;
}

struct Outcome {
  ImportResult result;
  std::string diagnostics;
  std::string rejects;
};

Outcome importText(FakeTaskStore& store, const std::string& csv, ImportOptions options = {},
                   const std::string& name = "day.csv") {
  std::istringstream in(csv);
  std::ostringstream diagnostics, rejects;
  Importer importer(store, options, diagnostics, &rejects);
  Outcome o;
  o.result = importer.importStream(in, name, kNow);
  o.diagnostics = diagnostics.str();
  o.rejects = rejects.str();
  return o;
}

const std::string kGood = "request_id,region,operation\n" + idOf(1) + ",ap-guangzhou,CreateListener\n" + idOf(2) +
                          ",ap-shanghai,DeleteLoadBalancer\n";

TEST(Importer, AddsGoodRowsInOneCommittedTransaction) {
  FakeTaskStore store;
  Outcome o = importText(store, kGood);
  EXPECT_EQ(o.result.imported, 2);
  EXPECT_EQ(o.result.duplicates, 0);
  EXPECT_EQ(o.result.rejected, 0);
  EXPECT_TRUE(o.result.committed);
  EXPECT_EQ(o.diagnostics, "");
  EXPECT_EQ(store.commits(), 1);
  auto tasks = store.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  auto& a = tasks[0].request_id == idOf(1) ? tasks[0] : tasks[1];
  EXPECT_EQ(a.region, "ap-guangzhou");
  EXPECT_EQ(a.operation, "CreateListener");
  EXPECT_EQ(a.source, "day.csv:2");
  EXPECT_EQ(a.submitted_at, kNow);  // no submitted_at column: the import time
}

TEST(Importer, ReimportingCountsEveryRowAsADuplicateAndAddsNothing) {
  FakeTaskStore store;
  importText(store, kGood);
  Outcome o = importText(store, kGood);
  EXPECT_EQ(o.result.imported, 0);
  EXPECT_EQ(o.result.duplicates, 2);
  EXPECT_EQ(store.tasks().size(), 2u);
}

TEST(Importer, ARowRepeatedInTheFileIsADuplicateAndTheFirstOneWins) {
  FakeTaskStore store;
  std::string csv = "request_id,region\n" + idOf(5) + ",ap-guangzhou\n" + idOf(4) + ",ap-guangzhou\n" + idOf(5) +
                    ",ap-guangzhou\n" + idOf(5) + ",ap-shanghai\n";
  Outcome o = importText(store, csv);
  EXPECT_EQ(o.result.imported, 3);  // the same id in another region is another task
  EXPECT_EQ(o.result.duplicates, 1);
  for (const auto& t : store.tasks()) {
    if (t.request_id == idOf(5) && t.region == "ap-guangzhou") {
      EXPECT_EQ(t.source, "day.csv:2");
    }
  }
}

TEST(Importer, DuplicatesAreFoundAcrossBatchesOfAFileLargerThanOneBatch) {
  FakeTaskStore store;
  const unsigned n = 150'000;  // more rows than one sorted batch holds
  std::string csv = "request_id\n";
  csv.reserve(n * 40);
  for (unsigned i = 0; i < n; ++i) csv += idOf(i % 100'000) + "\n";
  ImportOptions options;
  options.defaults.region = "ap-guangzhou";
  Outcome o = importText(store, csv, options);
  EXPECT_EQ(o.result.imported, 100'000);
  EXPECT_EQ(o.result.duplicates, 50'000);
  EXPECT_EQ(store.tasks().size(), 100'000u);
  EXPECT_EQ(store.commits(), 1);
}

TEST(Importer, BadRowsAreReportedWithFileAndLineAndTheGoodOnesImported) {
  FakeTaskStore store;
  std::string csv = "request_id,region,operation\n" + idOf(1) + ",ap-guangzhou,\"multi\nline\"\nabc,ap-guangzhou,x\n" +
                    idOf(2) + ",nowhere,x\n" + idOf(3) + ",ap-guangzhou\n" + idOf(4) + ",ap-guangzhou,ok\n";
  Outcome o = importText(store, csv);
  EXPECT_EQ(o.diagnostics,
            "day.csv:4: request_id 'abc' is not a UUID\n"
            "day.csv:5: region 'nowhere' is not a region (like ap-guangzhou)\n"
            "day.csv:6: 2 fields, expected 3 (as in the header)\n");
  EXPECT_EQ(o.result.imported, 2);
  EXPECT_EQ(o.result.rejected, 3);
  EXPECT_TRUE(o.result.committed);
  EXPECT_EQ(store.tasks().size(), 2u);
}

TEST(Importer, TheRejectsFileHoldsTheOriginalRowsAndAQuotedReason) {
  FakeTaskStore store;
  std::string csv = "request_id,region,operation\n\"abc\",ap-guangzhou,\"a, b\"\n" + idOf(1) +
                    ",ap-guangzhou,x\n" + idOf(2) + ",\"x\"y\n";
  Outcome o = importText(store, csv);
  EXPECT_EQ(o.rejects,
            "request_id,region,operation,reason\n"
            "\"abc\",ap-guangzhou,\"a, b\",line 2: request_id 'abc' is not a UUID\n"
            "\"" + idOf(2) + ",\"\"x\"\"y\",line 4: field 2: text after the closing quote\n");
}

TEST(Importer, RejectsOfABareIdFileGetARequestIdHeader) {
  FakeTaskStore store;
  ImportOptions options;
  options.defaults.region = "ap-guangzhou";
  Outcome o = importText(store, idOf(1) + "\nnot-an-id\n", options);
  EXPECT_EQ(o.rejects, "request_id,reason\nnot-an-id,line 2: request_id 'not-an-id' is not a UUID\n");
  EXPECT_EQ(o.result.imported, 1);
}

TEST(Importer, StrictCommitsNothingWhenARowIsBad) {
  FakeTaskStore store;
  ImportOptions options;
  options.strict = true;
  Outcome o = importText(store, kGood + "abc,ap-guangzhou,x\n", options);
  EXPECT_FALSE(o.result.committed);
  EXPECT_EQ(o.result.rejected, 1);
  EXPECT_EQ(o.diagnostics, "day.csv:4: request_id 'abc' is not a UUID\n");
  EXPECT_TRUE(store.tasks().empty());
  EXPECT_EQ(store.commits(), 0);
  EXPECT_EQ(store.rollbacks(), 1);

  Outcome clean = importText(store, kGood, options);
  EXPECT_TRUE(clean.result.committed);
  EXPECT_EQ(store.tasks().size(), 2u);
}

TEST(Importer, DryRunCountsButWritesNothing) {
  FakeTaskStore store;
  importText(store, "request_id,region\n" + idOf(1) + ",ap-guangzhou\n");
  ImportOptions options;
  options.dry_run = true;
  Outcome o = importText(store, kGood + "abc,ap-guangzhou,x\n", options);
  EXPECT_FALSE(o.result.committed);
  EXPECT_EQ(o.result.imported, 1);
  EXPECT_EQ(o.result.duplicates, 1);
  EXPECT_EQ(o.result.rejected, 1);
  EXPECT_EQ(store.tasks().size(), 1u);
}

TEST(Importer, BlankRowsAndEmptyLinesAreSkippedSilently) {
  FakeTaskStore store;
  Outcome o = importText(store, "\n,,\n" + kGood + ",,\n\n , ,\n");
  EXPECT_EQ(o.result.imported, 2);
  EXPECT_EQ(o.result.rejected, 0);
  EXPECT_EQ(o.diagnostics, "");
}

TEST(Importer, UnknownColumnsAreWarnedAboutOnceUnlessQuiet) {
  FakeTaskStore store;
  std::string csv = "request_id,region,note,owner\n" + idOf(1) + ",ap-guangzhou,a,b\n" + idOf(2) + ",ap-guangzhou,c,d\n";
  Outcome o = importText(store, csv);
  EXPECT_EQ(o.diagnostics, "day.csv:1: warning: ignoring columns 'note', 'owner' (not a ledger column)\n");
  EXPECT_EQ(o.result.imported, 2);
  ImportOptions quiet;
  quiet.quiet = true;
  EXPECT_EQ(importText(store, csv, quiet).diagnostics, "");
}

TEST(Importer, AnUnusableFileIsAnErrorAndCommitsNothing) {
  FakeTaskStore store;
  try {
    importText(store, "a,b\n1,2\n");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::BadInput);
    EXPECT_EQ(std::string(e.what()).rfind("day.csv:1: no header row", 0), 0u) << e.what();
  }
  EXPECT_EQ(store.commits(), 0);
  EXPECT_EQ(store.rollbacks(), 1);
}

TEST(Importer, AStoreFailureCommitsNothing) {
  FakeTaskStore store;
  store.setFailWrites(true);
  EXPECT_THROW(importText(store, kGood), std::runtime_error);
  store.setFailWrites(false);
  EXPECT_TRUE(store.tasks().empty());
}

TEST(Importer, StdinIsNamedInSources) {
  FakeTaskStore store;
  ImportOptions options;
  options.defaults.region = "ap-guangzhou";
  importText(store, idOf(1) + "\n", options, "<stdin>");
  ASSERT_EQ(store.tasks().size(), 1u);
  EXPECT_EQ(store.tasks()[0].source, "<stdin>:1");
}

}  // namespace
}  // namespace taskledger::import
