#include <chrono>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/domain/Duration.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {

int pruneCommand(const Args& args) {
  CommandSpec spec{"prune", "prune --older-than AGE", "Delete resolved tasks, and their checks, resolved longer ago than AGE.",
                   "Unresolved tasks are never pruned. Back the ledger up first if the audit trail matters:\n"
                   "  sqlite3 ledger.db \".backup ledger-$(date +%F).db\"",
                   "  taskledger prune --older-than 90d"};
  po::options_description options("Options");
  options.add_options()("older-than", po::value<std::string>()->required()->value_name("AGE"),
                        "age of resolution, e.g. 90d");
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  Millis age = durationFlag(parsed.vm, "older-than");
  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  auto now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  auto n = repo.pruneResolvedBefore(now - age);
  if (!parsed.global.quiet) {
    std::cout << "pruned " << n << " task" << (n == 1 ? "" : "s") << " resolved before "
              << formatHuman(now - age, false) << "\n";
  }
  return 0;
}

}  // namespace taskledger::cli
