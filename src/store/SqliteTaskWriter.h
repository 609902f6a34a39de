#pragma once
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::store {

// The importer's writer: one IMMEDIATE transaction, one prepared INSERT reused for every row.
// While it lives, the connection's page cache is enlarged (kImportCacheKiB): a large import
// touches index pages far beyond SQLite's 2 MiB default, and each miss is a read plus a
// write-back. The previous size is restored on destruction.
class SqliteTaskWriter final : public TaskWriter {
 public:
  // Sized with bench/import.sh: most of the gain at a fraction of the 64 MiB peak-memory budget.
  static constexpr int kImportCacheKiB = 8 * 1024;

  SqliteTaskWriter(Database& db, TimePoint now);
  ~SqliteTaskWriter() override;
  SqliteTaskWriter(const SqliteTaskWriter&) = delete;
  SqliteTaskWriter& operator=(const SqliteTaskWriter&) = delete;

  bool insert(const NewTask& task) override;
  void commit() override;

 private:
  const std::string& isoText(TimePoint t);

  SQLite::Database& sql_;
  int previous_cache_size_;
  SQLite::Transaction tx_;
  SQLite::Statement insert_;
  std::string now_iso_;
  // isoText()'s memo: rows of one file are mostly seconds apart, so the formatted second is
  // reused and only its milliseconds rewritten.
  std::string iso_;
  std::chrono::seconds iso_second_{-1};
};

}  // namespace taskledger::store
