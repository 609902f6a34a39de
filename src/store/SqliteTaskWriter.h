#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::store {

// The importer's writer: one IMMEDIATE transaction, one prepared INSERT reused for every row.
//
// Bulk loads are made cheap in two ways, both invisible outside the transaction:
//  - the connection's page cache is enlarged while the writer lives (kImportCacheKiB): a large
//    import touches index pages far beyond SQLite's 2 MiB default, and each miss is a read plus a
//    write-back;
//  - once an import has added kDeferIndexesAfter rows and at least as many as the ledger held
//    before, the non-unique indexes of `tasks` (not the unique key, which decides duplicates)
//    are dropped and rebuilt in commit() from their own SQL in sqlite_master. A sorted rebuild
//    is far cheaper than keeping three more B-trees in step row by row, and the rebuild costs
//    at most twice the rows imported. Readers meanwhile see the last committed ledger, indexes
//    and all; a rollback (no commit) restores the indexes with everything else.
class SqliteTaskWriter final : public TaskWriter {
 public:
  // Both measured with bench/import.sh (see the numbers there): most of the gain at a fraction
  // of the 64 MiB peak-memory budget, and no rebuild for the small daily imports.
  static constexpr int kImportCacheKiB = 8 * 1024;
  static constexpr std::int64_t kDeferIndexesAfter = 20'000;

  SqliteTaskWriter(Database& db, TimePoint now);
  ~SqliteTaskWriter() override;
  SqliteTaskWriter(const SqliteTaskWriter&) = delete;
  SqliteTaskWriter& operator=(const SqliteTaskWriter&) = delete;

  bool insert(const NewTask& task) override;
  void commit() override;

 private:
  const std::string& isoText(TimePoint t);
  void deferIndexes();

  SQLite::Database& sql_;
  int previous_cache_size_;
  SQLite::Transaction tx_;
  SQLite::Statement insert_;
  std::string now_iso_;
  std::int64_t rows_before_;       // the ledger's size when the import began (its largest id)
  std::int64_t inserted_ = 0;
  bool indexes_deferred_ = false;
  std::vector<std::string> deferred_index_sql_;  // CREATE INDEX statements to run in commit()
  // isoText()'s memo: rows of one file are mostly seconds apart, so the formatted second is
  // reused and only its milliseconds rewritten.
  std::string iso_;
  std::chrono::seconds iso_second_{-1};
};

}  // namespace taskledger::store
