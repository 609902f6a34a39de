#include <chrono>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {

int requeueCommand(const Args& args) {
  CommandSpec spec{"requeue", "requeue [--state rejected|expired|failed] [--request-id ID]",
                   "Make resolved tasks due again, so the next run asks about them once more.",
                   "Without --state, rejected and expired tasks are requeued (failed ones only when asked,\n"
                   "since a failed change stays failed). The tasks become pending and due at once.",
                   "  taskledger requeue --state expired"};
  std::string state_text, request_id;
  po::options_description options("Options");
  options.add_options()
      ("state", po::value(&state_text)->value_name("STATE"), "requeue only tasks in this state")
      ("request-id", po::value(&request_id)->value_name("ID"), "requeue only this task");
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  std::optional<TaskState> state;
  if (!state_text.empty()) {
    state = parseTaskState(state_text);
    if (!state || isUnresolved(*state) || *state == TaskState::Succeeded) {
      throw Error::usage("--state: '" + state_text + "' must be rejected, expired or failed");
    }
  }
  if (!request_id.empty()) {
    auto id = normalizeRequestId(request_id);
    if (!id) throw Error::usage("--request-id: '" + request_id + "' is not a request id (a UUID)");
    request_id = *id;
  }
  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  auto n = repo.requeue(state, request_id, std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
  if (!parsed.global.quiet) std::cout << "requeued " << n << " task" << (n == 1 ? "" : "s") << "\n";
  return 0;
}

}  // namespace taskledger::cli
