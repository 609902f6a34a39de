#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::store {

// The importer's writer: one IMMEDIATE transaction and prepared INSERTs reused for every row:
// insert() one row per statement, insertMany() kRowsPerStatement rows per statement (the
// per-statement work of SQLite, from reset to the end of its program, is then paid once per
// kRowsPerStatement rows), with one more statement for the remainder.
//
// Bulk loads are made cheap in three ways, all invisible outside the transaction:
//  - the connection's page cache is enlarged while the writer lives (kImportCacheKiB): a large
//    import touches index pages far beyond SQLite's 2 MiB default, and each miss is a read plus a
//    write-back;
//  - once an import has added kDeferIndexesAfter rows and at least as many as the ledger held
//    before, the non-unique indexes of `tasks` (not the unique key, which decides duplicates)
//    are dropped and rebuilt in commit() from their own SQL in sqlite_master. A sorted rebuild
//    is far cheaper than keeping more B-trees in step row by row, and the rebuild costs at most
//    twice the rows imported. Readers meanwhile see the last committed ledger, indexes and all;
//    a rollback (no commit) restores the indexes with everything else. One index is kept up row
//    by row (kKeptLiveIndex): see there;
//  - the table's CHECK constraints are not evaluated while the writer lives
//    (ignore_check_constraints). They cover only `state` and `last_status`, which the INSERT
//    writes as constants ('pending', NULL) that satisfy them. SQLite still tests each row's
//    `IN (...)` lists by refilling a throwaway b-tree per list, and the distributions' builds
//    (SECURE_DELETE) zero a 4 KiB page each time: 40% of the instructions of a 60k-row import
//    (callgrind, which counts memset's bytes, so it overstates the time) and 6.78 -> 5.41 s of
//    user CPU for 1M rows (best of three). A new column with a CHECK in the INSERT must be
//    checked here before binding.
class SqliteTaskWriter final : public TaskWriter {
 public:
  // Measured with bench/import.sh (1M rows). The cache matters less than the size of the
  // batches the importer sorts (see SortedBatch): 4 MiB and 8 MiB measured alike, and the 4 MiB
  // saved let the batch grow within the 64 MiB peak-memory budget.
  static constexpr int kImportCacheKiB = 4 * 1024;
  // Small daily imports keep their indexes and need no rebuild.
  static constexpr std::int64_t kDeferIndexesAfter = 20'000;
  // Every imported row gets the same (profile, next_check_at = the import time), so its entries
  // in tasks_due all land at one spot, next to each other: kept up row by row it costs less than
  // the table scan of a rebuild (measured 0.3 s less of 9 s for 1M rows).
  static constexpr const char* kKeptLiveIndex = "tasks_due";
  // 64 rows per statement cut the CPU time of a 1M-row import from 11.0 to 8.8 s; 128 is used,
  // not measured against 64. 7 parameters a row stay far below SQLite's limit of 32766.
  static constexpr std::size_t kRowsPerStatement = 128;
  // Parameters bound per row: profile, region, request_id, operation, resource, source,
  // submitted_at (?1, the import time, is shared by all rows).
  static constexpr std::size_t kBoundPerRow = 7;

  SqliteTaskWriter(Database& db, TimePoint now);
  ~SqliteTaskWriter() override;
  SqliteTaskWriter(const SqliteTaskWriter&) = delete;
  SqliteTaskWriter& operator=(const SqliteTaskWriter&) = delete;

  bool insert(const NewTask& task) override;
  std::int64_t insertMany(const std::vector<NewTask>& tasks) override;
  void commit() override;

 private:
  // An INSERT of `rows` rows; imported_at and next_check_at are bound once, here.
  std::unique_ptr<SQLite::Statement> prepareInsert(std::size_t rows);
  // Binds `t` as row `row` of `s` (its submitted_at text goes to submitted_text_[row]).
  void bindRow(SQLite::Statement& s, std::size_t row, const NewTask& t);
  // Runs a bound statement; returns the rows it added.
  std::int64_t run(SQLite::Statement& s);
  // Binds the `n` rows at `rows` to `s` (prepared for n rows) and runs it.
  std::int64_t runRows(SQLite::Statement& s, const NewTask* rows, std::size_t n);
  // formatIsoUtc(t) into out.
  void isoText(TimePoint t, std::string& out);
  void deferIndexes();
  // A task that names who made it (discover): one row with the actor columns too. The bulk path
  // above stays as it is for imports, which never carry them.
  bool insertAttributed(const NewTask& t);

  SQLite::Database& sql_;
  int previous_cache_size_;
  int previous_ignore_checks_;
  SQLite::Transaction tx_;
  std::string now_iso_;
  std::unique_ptr<SQLite::Statement> insert_;       // one row
  std::unique_ptr<SQLite::Statement> insert_many_;  // kRowsPerStatement rows
  std::unique_ptr<SQLite::Statement> insert_tail_;  // fewer rows (the end of a call), re-prepared
  std::size_t tail_rows_ = 0;                       // when the count changes
  std::unique_ptr<SQLite::Statement> insert_attributed_;  // prepared on first use
  // The submitted_at text of each row of the statement being bound: bound without a copy, so it
  // must live until the statement has run.
  std::vector<std::string> submitted_text_;
  std::int64_t rows_before_;       // the ledger's size when the import began (its largest id)
  std::int64_t inserted_ = 0;
  bool indexes_deferred_ = false;
  std::vector<std::string> deferred_index_sql_;  // CREATE INDEX statements to run in commit()
  // isoText()'s memo: the formatted day. Rows reach the writer in key order, not time order,
  // so consecutive rows rarely share a second; they nearly always share a day.
  std::string iso_;
  std::chrono::sys_days iso_day_{};
};

}  // namespace taskledger::store
