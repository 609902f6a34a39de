#pragma once
// The import service: reads one CSV stream, validates every row and adds the good ones to the
// ledger in one transaction. Talks only to store::TaskStore, so tests run it on a fake store.
//
// Contract, per DESIGN.md:
//  - a bad row is reported on `diagnostics` as "FILE:LINE: reason" (LINE is the physical line on
//    which the record starts) and, when a rejects stream is given, written there as the original
//    row plus a `reason` column;
//  - rows already in the ledger, or repeated within the file, count as duplicates and are never
//    added twice (the store's unique (profile, region, request_id) decides);
//  - one transaction per file: committed unless dry_run, or strict and a row was rejected.
// Memory does not grow with the input: one record is held at a time.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>

#include "taskledger/domain/Time.h"
#include "taskledger/import/RowValidator.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::import {

struct ImportOptions {
  RowDefaults defaults;
  bool strict = false;   // any rejected row: nothing is committed
  bool dry_run = false;  // validate and count, then roll back
  bool quiet = false;    // no warnings (rejected rows are still reported)
};

struct ImportResult {
  std::int64_t imported = 0;    // rows added (or that would be, when not committed)
  std::int64_t duplicates = 0;  // rows already in the ledger or earlier in the file
  std::int64_t rejected = 0;    // rows that failed validation or could not be read
  bool committed = false;       // false for a dry run and for a strict import with rejects
};

class Importer {
 public:
  // `diagnostics` receives rejected rows and warnings (stderr in the CLI). `rejects`, if not
  // null, receives the rejects file: the header (or "request_id") plus ",reason" once, then
  // each rejected row. A row that is not valid CSV is written as one quoted field.
  // The rejects stream is flushed and checked before the commit: when it cannot be written,
  // nothing is committed and taskledger::Error (exit 1) names it as `rejects_name`.
  Importer(store::TaskStore& store, ImportOptions options, std::ostream& diagnostics,
           std::ostream* rejects = nullptr, std::string rejects_name = "the rejects file");

  // Imports `in`, naming it `name` in messages and in each task's source ("name:line").
  // Throws taskledger::Error when the file as a whole is unusable (see RowValidator::readLayout)
  // or cannot be read; nothing is committed then.
  ImportResult importStream(std::istream& in, const std::string& name, TimePoint now);

 private:
  struct Run;
  void warnIgnoredColumns(const RowValidator& validator, const std::string& name, std::size_t line);

  store::TaskStore& store_;
  ImportOptions options_;
  std::ostream& diagnostics_;
  std::ostream* rejects_;
  std::string rejects_name_;
};

}  // namespace taskledger::import
