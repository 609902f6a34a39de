#include <iomanip>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "LedgerCommands.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {
namespace {

// A check's outcome as a person says it: the task's status in words, an error code as it came.
std::string outcomeInWords(const std::string& outcome) {
  if (outcome == "status:0") return "succeeded";
  if (outcome == "status:1") return "failed";
  if (outcome == "status:2") return "in progress";
  return outcome;
}

}  // namespace

void printTask(std::ostream& out, const Task& t, bool utc) {
  auto line = [&](const char* name, const std::string& value) {
    // Every field came from a CSV file or a server: shown escaped, never as terminal commands.
    if (!value.empty()) out << "  " << std::left << std::setw(18) << name << escapeForTerminal(value) << "\n";
  };
  auto time = [&](const std::optional<TimePoint>& tp) { return tp ? formatHuman(*tp, utc) : std::string(); };
  out << escapeForTerminal(t.request_id) << "\n";
  line("state", std::string(toString(t.state)));
  line("region", t.region);
  line("profile", t.profile);
  line("operation", t.operation);
  line("resource", t.resource);
  line("source", t.source);
  line("actor", t.actor);
  line("source ip", t.source_ip);
  line("deal name", t.deal_name);
  line("submitted", time(t.submitted_at));
  line("imported", time(t.imported_at));
  line("attempts", std::to_string(t.attempts));
  line("last checked", time(t.last_checked_at));
  if (isUnresolved(t.state)) line("next check", time(t.next_check_at));
  line("resolved", time(t.resolved_at));
  line("message", t.message);
  std::string lbs;
  for (const auto& id : t.load_balancer_ids) lbs += (lbs.empty() ? "" : ", ") + id;
  line("load balancers", lbs);
  if (!t.last_error_code.empty()) line("last error", t.last_error_code + ": " + t.last_error_message);
  line("last request id", t.last_api_request_id);
  line("unreadable", t.unreadable);  // times an older version garbled, and what is shown instead
}

int showCommand(const Args& args) {
  CommandSpec spec{"show", "show REQUEST_ID [--utc]", "Show one task and every check made of it.",
                   "Times are the operator's local time unless --utc.",
                   "  taskledger show 55c85074-3e7f-4c6d-864f-673660d4f8de"};
  bool utc = false;
  po::options_description options("Options");
  options.add_options()("utc", po::bool_switch(&utc), "show times in UTC");
  auto parsed = parseCommand(spec, options, {"request-id"}, args);
  if (parsed.help_shown) return 0;
  if (!parsed.vm.count("request-id")) throw Error::usage("show: REQUEST_ID is missing");
  const std::string raw = parsed.vm["request-id"].as<std::string>();
  auto id = normalizeRequestId(raw);
  if (!id) throw Error::usage("show: '" + raw + "' is not a request id (a UUID)");

  store::Database db(parsed.global.db, store::OpenMode::ReadOnly);
  store::TaskRepository repo(db);
  auto tasks = repo.findByRequestId(*id);
  if (tasks.empty()) {
    std::cerr << "taskledger show: " << *id << " is not in " << db.path() << "\n";
    return static_cast<int>(ExitCode::Failure);
  }
  for (const auto& t : tasks) {
    printTask(std::cout, t, utc);
    auto checks = repo.checksOf(t.id);
    std::cout << "  checks (" << checks.size() << "):\n";
    for (const auto& c : checks) {
      std::cout << "    " << formatHuman(c.checked_at, utc) << "  " << std::left << std::setw(28)
                << escapeForTerminal(outcomeInWords(c.outcome)) << std::right << std::setw(6) << c.latency_ms << " ms  "
                << escapeForTerminal(c.endpoint_host);
      if (!c.api_request_id.empty()) std::cout << "  " << escapeForTerminal(c.api_request_id);
      if (!c.message.empty()) std::cout << "  " << escapeForTerminal(c.message);
      std::cout << "\n";
    }
  }
  return 0;
}

}  // namespace taskledger::cli
