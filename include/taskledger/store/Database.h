#pragma once
// Opens the ledger file the one right way: WAL, a busy timeout, foreign keys, migrated to this
// binary's schema. Every other store class works on an open Database.
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "taskledger/store/Migration.h"

namespace taskledger::store {

class Database {
 public:
  // Opens (creating if absent) and migrates. Throws taskledger::Error (exit 1) naming the file
  // when it is not a SQLite database, cannot be opened or written, has a changed migration, or
  // is newer than this binary. `migrations` defaults to embeddedMigrations().
  explicit Database(const std::string& path);
  Database(const std::string& path, const std::vector<Migration>& migrations);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  SQLite::Database& sql() { return db_; }
  const std::string& path() const { return path_; }
  // Versions applied by this open (empty when the database was already current).
  const std::vector<int>& appliedNow() const { return applied_now_; }
  int schemaVersion() const { return schema_version_; }

 private:
  std::string path_;
  SQLite::Database db_;
  std::vector<int> applied_now_;
  int schema_version_ = 0;
};

}  // namespace taskledger::store
