#pragma once
// For tests that hold the SQLite repository and the in-memory fake to the same contract: a
// value-parameterized suite asks for the one its parameter names.
#include <memory>

#include "support/FakeTaskStore.h"
#include "support/TempDir.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::testing {

class EitherStore {
 public:
  // The SQLite repository on a fresh ledger file (true), or the fake (false).
  store::TaskStore& get(bool sqlite) {
    if (!sqlite) return fake_;
    if (!repo_) {
      db_ = std::make_unique<store::Database>(dir_.file("ledger.db"));
      repo_ = std::make_unique<store::TaskRepository>(*db_);
    }
    return *repo_;
  }

 private:
  TempDir dir_;
  FakeTaskStore fake_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::TaskRepository> repo_;
};

}  // namespace taskledger::testing
