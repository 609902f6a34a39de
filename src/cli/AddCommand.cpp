#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/import/TccliAnswer.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/tencent/CredentialSource.h"

namespace taskledger::cli {

namespace {

// tccli's configured region of `profile` (~/.tccli/<profile>.configure), as tccli takes it when
// neither --region nor TENCENTCLOUD_REGION says one. A missing, odd or oversized file names none.
std::optional<std::string> configuredRegion(const std::string& profile) {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0' || !isValidProfileName(profile)) return std::nullopt;
  const std::string path = (std::filesystem::path(home) / ".tccli" / (profile + ".configure")).string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    return import::tccliConfiguredRegion(tencent::readCredentialFile(path));  // bounded, regular files only
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

int addCommand(const Args& args) {
  CommandSpec spec{"add", "add REQUEST_ID --region R [options] | add --from-json [options]",
                   "Add one request id to the ledger.",
                   "REQUEST_ID is the RequestId a mutating CLB call answered with (a UUID); it is polled\n"
                   "as DescribeTaskStatus's TaskId by the next run. Adding a known id changes nothing.\n"
                   "With --from-json the id comes from the call's JSON answer on stdin, as tccli prints it\n"
                   "or wrapped in {\"Response\": ...} as the SDKs return it; without --resource, the answer's\n"
                   "LoadBalancerId (or first ...Ids value) is the resource. An error answer, several ids\n"
                   "or anything that is not one answer is refused (exit 65). Without --region, tccli's\n"
                   "TENCENTCLOUD_REGION is used, else the region tccli is configured with\n"
                   "(~/.tccli/<profile>.configure). When tccli's output setting is not json, pipe\n"
                   "'tccli ... --output json'. A prepaid CreateLoadBalancer's DealName is recorded too.",
                   "  taskledger add 55c85074-3e7f-4c6d-864f-673660d4f8de --region ap-guangzhou \\\n"
                   "      --operation CreateListener --resource lb-6efswuxa\n"
                   "  tccli clb CreateListener --region ap-guangzhou ... |\n"
                   "      taskledger add --from-json --region ap-guangzhou --operation CreateListener"};
  NewTask task;
  std::string submitted;
  bool from_json = false;
  po::options_description options("Options");
  options.add_options()
      ("region", po::value(&task.region)->value_name("R"), "the region the change was made in (ap-guangzhou)")
      ("operation", po::value(&task.operation)->value_name("OP"), "what the change was (CreateListener)")
      ("resource", po::value(&task.resource)->value_name("ID"), "what it changed (lb-6efswuxa)")
      ("profile", po::value(&task.profile)->default_value("default")->value_name("P"), "the credential profile that polls it")
      ("submitted-at", po::value(&submitted)->value_name("TIME"), "when the change was made (ISO-8601; default now)")
      ("from-json", po::bool_switch(&from_json), "read the call's JSON answer (tccli, SDK) from stdin");
  auto parsed = parseCommand(spec, options, {"request-id"}, args);
  if (parsed.help_shown) return 0;
  const bool has_id = parsed.vm.count("request-id") > 0;
  if (from_json && has_id) throw Error::usage("give REQUEST_ID or --from-json, not both");
  if (!from_json && !has_id) throw Error::usage("REQUEST_ID is missing (or give --from-json)");
  if (task.region.empty()) {
    const char* env = std::getenv("TENCENTCLOUD_REGION");
    if (env != nullptr && *env != '\0') task.region = env;
  }
  if (task.region.empty()) task.region = configuredRegion(task.profile).value_or("");
  if (task.region.empty()) {
    throw Error::usage("--region is missing (or set TENCENTCLOUD_REGION, or 'tccli configure set region R')");
  }
  if (!isValidRegion(task.region)) throw Error::usage("--region: '" + task.region + "' is not a region (like ap-guangzhou)");
  if (!isValidProfileName(task.profile)) throw Error::usage(profileNameProblem(task.profile, "--profile"));
  if (!submitted.empty()) {
    task.submitted_at = parseIsoTimestamp(submitted);
    if (!task.submitted_at) throw Error::usage("--submitted-at: '" + submitted + "' is not an ISO-8601 time");
    if (!isSaneTime(*task.submitted_at, std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()))) {
      throw Error::usage("--submitted-at: '" + submitted + "' is not " + kSaneTimeRange);
    }
  }
  if (from_json) {
    // Read and checked whole before the ledger is opened: a refused answer records nothing.
    import::TccliAnswer answer = import::readTccliAnswer(std::cin, "stdin");
    task.request_id = answer.request_id;
    if (task.resource.empty()) task.resource = answer.resource;
    task.deal_name = answer.deal_name;
  } else {
    const std::string raw = parsed.vm["request-id"].as<std::string>();
    auto id = normalizeRequestId(raw);
    if (!id) throw Error::usage("add: '" + raw + "' is not a request id (a UUID like 55c85074-3e7f-4c6d-864f-673660d4f8de)");
    task.request_id = *id;
  }
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
