// The importer's outer bounds (issue 14): a rejects file that cannot be written stops the import
// before its commit, and an input that never ends a record (/dev/zero) ends with an error.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <streambuf>

#include "support/FakeTaskStore.h"
#include "taskledger/domain/Error.h"
#include "taskledger/import/CsvReader.h"
#include "taskledger/import/Importer.h"

namespace taskledger::import {
namespace {

using testing::FakeTaskStore;

const TimePoint kNow = *parseIsoTimestamp("2026-11-27T12:00:00Z");

// A stream buffer that refuses every byte, like a file on a full disk.
class FullDisk : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

// Endless NUL bytes, like /dev/zero.
class Zeros : public std::streambuf {
 public:
  Zeros() { setg(buf_, buf_, buf_ + sizeof buf_); }

 protected:
  int_type underflow() override {
    setg(buf_, buf_, buf_ + sizeof buf_);
    return 0;
  }

 private:
  char buf_[4096] = {};
};

TEST(ImportBounds, ARejectsFileThatCannotBeWrittenCommitsNothing) {
  FakeTaskStore store;
  FullDisk full;
  std::ostream rejects(&full);
  std::ostringstream diagnostics;
  Importer importer(store, {}, diagnostics, &rejects, "--rejects 'bad.csv'");
  std::istringstream in("request_id,region\n55c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou\nnot-an-id,ap-guangzhou\n");
  try {
    importer.importStream(in, "day.csv", kNow);
    FAIL() << "the import went on without its rejects file";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Failure);
    EXPECT_NE(std::string(e.what()).find("--rejects 'bad.csv'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nothing imported"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store.tasks().empty());
}

TEST(ImportBounds, AnInputThatNeverEndsARecordEndsWithAClearError) {
  Zeros zeros;
  std::istream in(&zeros);
  CsvLimits limits;
  limits.max_unended_bytes = 1 << 20;
  CsvReader reader(in, limits);
  try {
    while (reader.next()) {
    }
    FAIL() << "an endless record came to an end";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a CSV file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace taskledger::import
