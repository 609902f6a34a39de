#include <chrono>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {

int addCommand(const Args& args) {
  CommandSpec spec{"add", "add REQUEST_ID --region R [options]", "Add one request id to the ledger.",
                   "REQUEST_ID is the RequestId a mutating CLB call answered with (a UUID); it is polled\n"
                   "as DescribeTaskStatus's TaskId by the next run. Adding a known id changes nothing.",
                   "  taskledger add 55c85074-3e7f-4c6d-864f-673660d4f8de --region ap-guangzhou \\\n"
                   "      --operation CreateListener --resource lb-6efswuxa"};
  NewTask task;
  std::string submitted;
  po::options_description options("Options");
  options.add_options()
      ("region", po::value(&task.region)->required()->value_name("R"), "the region the change was made in (ap-guangzhou)")
      ("operation", po::value(&task.operation)->value_name("OP"), "what the change was (CreateListener)")
      ("resource", po::value(&task.resource)->value_name("ID"), "what it changed (lb-6efswuxa)")
      ("profile", po::value(&task.profile)->default_value("default")->value_name("P"), "the credential profile that polls it")
      ("submitted-at", po::value(&submitted)->value_name("TIME"), "when the change was made (ISO-8601; default now)");
  auto parsed = parseCommand(spec, options, {"request-id"}, args);
  if (parsed.help_shown) return 0;
  if (!parsed.vm.count("request-id")) throw Error::usage("add: REQUEST_ID is missing");
  const std::string raw = parsed.vm["request-id"].as<std::string>();
  auto id = normalizeRequestId(raw);
  if (!id) throw Error::usage("add: '" + raw + "' is not a request id (a UUID like 55c85074-3e7f-4c6d-864f-673660d4f8de)");
  if (!isValidRegion(task.region)) throw Error::usage("--region: '" + task.region + "' is not a region (like ap-guangzhou)");
  if (!submitted.empty()) {
    task.submitted_at = parseIsoTimestamp(submitted);
    if (!task.submitted_at) throw Error::usage("--submitted-at: '" + submitted + "' is not an ISO-8601 time");
  }
  task.request_id = *id;
  task.source = "add";

  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  auto writer = repo.beginImport(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
  bool inserted = writer->insert(task);
  writer->commit();
  if (!parsed.global.quiet) {
    std::cout << (inserted ? "added " : "already known: ") << task.request_id << " (" << task.region << ", profile "
              << task.profile << ")\n";
  }
  return 0;
}

}  // namespace taskledger::cli
