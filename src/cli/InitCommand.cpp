#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/store/Database.h"

namespace taskledger::cli {

int initCommand(const Args& args) {
  CommandSpec spec{"init", "init [--db PATH]", "Create the ledger database, or migrate it to this version.",
                   "Safe to run again: an up-to-date ledger is left as it is. Only init creates a ledger;\n"
                   "the other commands refuse a --db that does not exist (exit 2), and those that write\n"
                   "migrate an older ledger on open.",
                   "  taskledger --db /var/lib/taskledger/ledger.db init"};
  po::options_description options("Options");
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  store::Database db(parsed.global.db, store::OpenMode::Create);
  if (!parsed.global.quiet) {
    if (db.appliedNow().empty()) {
      std::cout << "ledger " << db.path() << " is up to date (schema " << db.schemaVersion() << ")\n";
    } else {
      std::cout << "ledger " << db.path() << " ready (schema " << db.schemaVersion() << ", applied "
                << db.appliedNow().size() << " migration" << (db.appliedNow().size() == 1 ? "" : "s") << ")\n";
    }
  }
  return 0;
}

}  // namespace taskledger::cli
