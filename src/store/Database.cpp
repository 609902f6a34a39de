#include "taskledger/store/Database.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <map>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"

namespace taskledger::store {
namespace {

// A busy ledger (a run writing while a report reads) waits this long before giving up.
constexpr int kBusyTimeoutMs = 10'000;

// SQLite gives every new page cache a bulk allocation of 20 pages (about 86 KB), and that
// includes the throwaway b-tree it builds to check a CHECK (... IN (...)) constraint on each
// UPDATE of a task. Freed at once, the block goes back to the kernel and the next one faults its
// pages in again: a few page faults per answer recorded. Without the bulk allocation pages come
// one at a time from the heap. Only possible before SQLite initialises, hence once, here.
void configureSqliteOnce() {
  static const int once = sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
  (void)once;
}

SQLite::Database openFile(const std::string& path) {
  configureSqliteOnce();
  try {
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
  } catch (const SQLite::Exception& e) {
    throw Error::runtime("cannot open ledger '" + path + "': " + e.getErrorStr());
  }
}

std::string nowIso() {
  return formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
}

}  // namespace

Database::Database(const std::string& path) : Database(path, embeddedMigrations()) {}

Database::Database(const std::string& path, const std::vector<Migration>& migrations)
    : path_(path), db_(openFile(path)) {
  try {
    db_.setBusyTimeout(kBusyTimeoutMs);
    // Reading the schema is the first thing that fails on a file that is not SQLite.
    db_.exec("PRAGMA schema_version");
    if (db_.execAndGet("PRAGMA journal_mode=WAL").getString() != "wal") {
      throw Error::runtime("ledger '" + path + "': cannot switch to WAL journal mode");
    }
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA foreign_keys=ON");

    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)");
    std::map<int, std::pair<std::string, std::string>> applied;  // version -> (name, checksum)
    SQLite::Statement q(db_, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    while (q.executeStep()) {
      applied[q.getColumn(0).getInt()] = {q.getColumn(1).getString(), q.getColumn(2).getString()};
    }
    int newest_known = migrations.empty() ? 0 : migrations.back().version;
    if (!applied.empty() && applied.rbegin()->first > newest_known) {
      throw Error::runtime("ledger '" + path + "' has schema version " +
                           std::to_string(applied.rbegin()->first) + ", newer than this taskledger (" +
                           std::to_string(newest_known) + "); upgrade taskledger");
    }
    for (const auto& m : migrations) {
      auto it = applied.find(m.version);
      if (it != applied.end()) {
        if (it->second.second != m.checksum) {
          throw Error::runtime("ledger '" + path + "': migration " + std::to_string(m.version) + "_" +
                               m.name + " was changed after it was applied (checksum " +
                               it->second.second.substr(0, 12) + "… in the ledger, " +
                               m.checksum.substr(0, 12) + "… in this binary); refusing to open");
        }
        schema_version_ = m.version;
        continue;
      }
      db_.exec(m.sql);
      SQLite::Statement ins(db_, "INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES (?,?,?,?)");
      ins.bind(1, m.version);
      ins.bind(2, m.name);
      ins.bind(3, m.checksum);
      ins.bind(4, nowIso());
      ins.exec();
      applied_now_.push_back(m.version);
      schema_version_ = m.version;
    }
    tx.commit();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode();
    if (code == SQLITE_NOTADB) {
      throw Error::runtime("'" + path + "' is not a taskledger database (not SQLite)");
    }
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM) {
      throw Error::runtime("ledger '" + path + "' cannot be written: " + e.getErrorStr());
    }
    throw Error::runtime("ledger '" + path + "': " + e.what());
  }
}

}  // namespace taskledger::store
