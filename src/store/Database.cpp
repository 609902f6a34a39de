#include "taskledger/store/Database.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"
#include "taskledger/store/LedgerBusy.h"
#include "taskledger/store/LedgerFull.h"

namespace taskledger::store {
namespace {

// SQLite gives every new page cache a bulk allocation of 20 pages (about 86 KB), and that
// includes the throwaway b-tree it builds to check a CHECK (... IN (...)) constraint on each
// UPDATE of a task. Freed at once, the block goes back to the kernel and the next one faults its
// pages in again: a few page faults per answer recorded. Without the bulk allocation pages come
// one at a time from the heap. Only possible before SQLite initialises, hence once, here.
void configureSqliteOnce() {
  static const int once = sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
  (void)once;
}

// A mistyped --db must not become a new empty ledger, and a device or a directory is never one
// (SQLite would create "/dev/null-journal" beside a device). Returns whether the file exists.
bool checkLedgerPath(const std::string& path, OpenMode mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && mode == OpenMode::Create) return false;
    if (errno == ENOENT) {
      throw Error::usage("no ledger at '" + path + "'; create one with 'taskledger init' or name it with --db");
    }
    throw Error::usage("--db: cannot use '" + path + "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) throw Error::usage("--db: '" + path + "' is a directory, not a ledger file");
  if (!S_ISREG(st.st_mode)) throw Error::usage("--db: '" + path + "' is not a regular file (a device or a pipe?)");
  return true;
}

// Whether this process can use the ledger's WAL index (-shm): it exists, or the directory lets
// this user create it.
bool canShareWalIndex(const std::string& path) {
  if (::access((path + "-shm").c_str(), R_OK) == 0) return true;
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return ::access(dir.empty() ? "." : dir.c_str(), W_OK | X_OK) == 0;
}

// `path` as the path of a file: URI ('%', '?' and '#' escaped).
std::string uriPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

SQLite::Database openFile(const std::string& path, OpenMode mode) {
  configureSqliteOnce();
  checkLedgerPath(path, mode);
  int flags = SQLite::OPEN_FULLMUTEX;
  if (mode == OpenMode::ReadOnly) flags |= SQLite::OPEN_READONLY;
  else flags |= SQLite::OPEN_READWRITE;
  if (mode == OpenMode::Create) flags |= SQLite::OPEN_CREATE;
  try {
    if (mode == OpenMode::ReadOnly && !canShareWalIndex(path)) {
      // A reader who may not create the WAL index beside the ledger (a directory only its owner
      // may write) can still read a ledger that no writer has open: with no -wal file, the
      // ledger file alone is the whole ledger.
      struct stat wal {};
      if (::stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0) {
        throw Error::runtime("ledger '" + path + "' is being written and its '" + path +
                             "-wal' and '-shm' files cannot be shared by this user; read it as the ledger's owner");
      }
      return SQLite::Database("file:" + uriPath(path) + "?immutable=1", flags | SQLITE_OPEN_URI);
    }
    return SQLite::Database(path, flags);
  } catch (const SQLite::Exception& e) {
    throw Error::runtime("cannot open ledger '" + path + "': " + e.getErrorStr());
  }
}

std::string nowIso() {
  return formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
}

bool hasMigrationsTable(SQLite::Database& db) {
  return db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
             .getInt() > 0;
}

// version -> (name, checksum)
std::map<int, std::pair<std::string, std::string>> appliedMigrations(SQLite::Database& db) {
  std::map<int, std::pair<std::string, std::string>> applied;
  if (!hasMigrationsTable(db)) return applied;
  SQLite::Statement q(db, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  while (q.executeStep()) {
    applied[q.getColumn(0).getInt()] = {q.getColumn(1).getString(), q.getColumn(2).getString()};
  }
  return applied;
}

}  // namespace

void Database::checkPath(const std::string& path, OpenMode mode) { checkLedgerPath(path, mode); }

Database::Database(const std::string& path, OpenMode mode) : Database(path, embeddedMigrations(), mode) {}

Database::Database(const std::string& path, const std::vector<Migration>& migrations, OpenMode mode)
    : path_(path), mode_(mode), db_(openFile(path, mode)) {
  try {
    db_.setBusyTimeout(kBusyTimeoutMs);
    // Reading the schema is the first thing that fails on a file that is not SQLite.
    db_.exec("PRAGMA schema_version");
    db_.exec("PRAGMA foreign_keys=ON");
    if (mode_ == OpenMode::ReadOnly) {
      checkCurrent(migrations);
      return;
    }
    if (db_.execAndGet("PRAGMA journal_mode=WAL").getString() != "wal") {
      throw Error::runtime("ledger '" + path + "': cannot switch to WAL journal mode");
    }
    db_.exec("PRAGMA synchronous=NORMAL");
    migrate(migrations);
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode();
    if (code == SQLITE_NOTADB) {
      throw Error::runtime("'" + path + "' is not a taskledger database (not SQLite)");
    }
    if (code == SQLITE_BUSY) throw ledgerBusy(path, "opening it");
    if (isOutOfSpace(e, path)) throw ledgerFull(path, "opening it");
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM) {
      throw Error::runtime("ledger '" + path + "' cannot be " + (mode_ == OpenMode::ReadOnly ? "read" : "written") +
                           ": " + e.getErrorStr());
    }
    throw Error::runtime("ledger '" + path + "': " + e.what());
  }
}

namespace {

using Applied = std::map<int, std::pair<std::string, std::string>>;

// Throws when the ledger is newer than `migrations` or one of them changed after it was applied;
// returns the newest version both know.
int checkApplied(const std::string& path, const Applied& applied, const std::vector<Migration>& migrations) {
  int newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (!applied.empty() && applied.rbegin()->first > newest_known) {
    throw Error::runtime("ledger '" + path + "' has schema version " + std::to_string(applied.rbegin()->first) +
                         ", newer than this taskledger (" + std::to_string(newest_known) + "); upgrade taskledger");
  }
  int current = 0;
  for (const auto& m : migrations) {
    auto it = applied.find(m.version);
    if (it == applied.end()) break;
    if (it->second.second != m.checksum) {
      throw Error::runtime("ledger '" + path + "': migration " + std::to_string(m.version) + "_" + m.name +
                           " was changed after it was applied (checksum " + it->second.second.substr(0, 12) +
                           "… in the ledger, " + m.checksum.substr(0, 12) + "… in this binary); refusing to open");
    }
    current = m.version;
  }
  return current;
}

}  // namespace

void Database::checkCurrent(const std::vector<Migration>& migrations) {
  if (!hasMigrationsTable(db_)) {
    throw Error::runtime("'" + path_ + "' is not a taskledger ledger (no schema_migrations table)");
  }
  schema_version_ = checkApplied(path_, appliedMigrations(db_), migrations);
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (schema_version_ != newest) {
    throw Error::runtime("ledger '" + path_ + "' has schema version " + std::to_string(schema_version_) +
                         ", older than this taskledger (" + std::to_string(newest) +
                         "); migrate it with 'taskledger init' (needs write access)");
  }
}

void Database::migrate(const std::vector<Migration>& migrations) {
  // Most opens find the ledger current: a read, without the write lock another process may hold.
  Applied applied = appliedMigrations(db_);
  schema_version_ = checkApplied(path_, applied, migrations);
  if (hasMigrationsTable(db_) && schema_version_ == (migrations.empty() ? 0 : migrations.back().version)) return;

  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  db_.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL)");
  applied = appliedMigrations(db_);  // again, under the lock: another process may have migrated
  schema_version_ = checkApplied(path_, applied, migrations);
  for (const auto& m : migrations) {
    if (applied.count(m.version)) continue;
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
}

}  // namespace taskledger::store
