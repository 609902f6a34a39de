#pragma once
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::store {

// The importer's writer: one IMMEDIATE transaction, one prepared INSERT reused for every row.
class SqliteTaskWriter final : public TaskWriter {
 public:
  SqliteTaskWriter(Database& db, TimePoint now);
  bool insert(const NewTask& task) override;
  void commit() override;

 private:
  SQLite::Transaction tx_;
  SQLite::Statement insert_;
  std::string now_iso_;
};

}  // namespace taskledger::store
