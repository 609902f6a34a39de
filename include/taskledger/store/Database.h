#pragma once
// Opens the ledger file the one right way: WAL, a busy timeout, foreign keys, migrated to this
// binary's schema. Every other store class works on an open Database.
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "taskledger/store/Migration.h"

namespace taskledger::store {

enum class OpenMode {
  // Creates the file when absent, then migrates (init; and tests building a fresh ledger).
  Create,
  // The file must exist (a mistyped --db is a usage error, exit 2, never a new empty ledger);
  // migrates. For every command that writes.
  Existing,
  // The file must exist; opened read-only: never migrates, never takes the write lock, so a user
  // who may only read the ledger can report on it while a run or an import writes.
  ReadOnly,
};

class Database {
 public:
  // How long a writer waits for another process's write transaction (an import of millions of
  // rows takes tens of seconds) before giving up with a "busy" error (exit 75) that names the
  // holder. Readers never wait for writers in WAL mode.
  static constexpr int kBusyTimeoutMs = 60'000;

  // Opens and, unless read-only, migrates. Throws taskledger::Error naming the file: exit 2 when
  // it is absent (except Create), a directory or a device; exit 1 when it is not a SQLite
  // database, cannot be opened or written, has a changed migration, is newer than this binary,
  // or (read-only) is older than this binary; exit 75 when another process holds the write lock
  // past kBusyTimeoutMs. `migrations` defaults to embeddedMigrations().
  explicit Database(const std::string& path, OpenMode mode = OpenMode::Create);
  Database(const std::string& path, const std::vector<Migration>& migrations, OpenMode mode = OpenMode::Create);
  // The checks of a Database open that need no SQLite: exit 2 for an absent ledger (except
  // Create), a directory or a device. For commands that must check before they open.
  static void checkPath(const std::string& path, OpenMode mode);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  SQLite::Database& sql() { return db_; }
  const std::string& path() const { return path_; }
  // Versions applied by this open (empty when the database was already current).
  const std::vector<int>& appliedNow() const { return applied_now_; }
  int schemaVersion() const { return schema_version_; }
  bool readOnly() const { return mode_ == OpenMode::ReadOnly; }

 private:
  void migrate(const std::vector<Migration>& migrations);
  void checkCurrent(const std::vector<Migration>& migrations);

  std::string path_;
  OpenMode mode_;
  SQLite::Database db_;
  std::vector<int> applied_now_;
  int schema_version_ = 0;
};

}  // namespace taskledger::store
