#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "taskledger/domain/Error.h"
#include "taskledger/import/Importer.h"
#include "taskledger/import/InputFile.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {
namespace {

const CommandSpec kSpec{
    "import",
    "import FILE|- [--region R] [--profile P] [--operation OP] [--strict] [--rejects FILE] [--dry-run]",
    "add request ids from a CSV file (or - for stdin)",
    "The first row names the columns, in any case and order: request_id (or RequestId, TaskId,\n"
    "task_id), region, operation, resource, submitted_at, profile. Other columns are ignored with a\n"
    "warning. A file of bare request ids, one per line and no header, is accepted too (give --region).\n"
    "RFC 4180 quoting, CRLF line ends and a UTF-8 BOM are fine. --region, --profile and --operation\n"
    "fill a column the file lacks and its empty cells. submitted_at is ISO-8601 (no zone: local time)\n"
    "or empty (the import time).\n\n"
    "A bad row is reported as FILE:LINE: reason and skipped; with --strict nothing is imported and\n"
    "the exit code is 65 (as for a file unusable as a whole: no header where one is needed, a\n"
    "column named twice). Ids already in the ledger count as duplicates, never twice. The file is\n"
    "imported in one transaction: an interrupted import leaves no trace. Prints\n"
    "'imported N, duplicates D, rejected R'.",
    "  taskledger import ap-guangzhou.csv --operation DeleteLoadBalancer --rejects bad-rows.csv\n"
    "  grep -o '[0-9a-f-]\\{36\\}' deploy.log | taskledger import - --region ap-shanghai --strict"};

std::ofstream openRejects(const std::string& path, const std::string& input_path, const std::string& ledger) {
  report::checkOutputPath("--rejects", path, ledger);
  std::error_code ec;
  if (input_path != "-" && std::filesystem::equivalent(path, input_path, ec)) {
    throw Error::usage("--rejects: '" + path + "' is the file being imported");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error::usage("--rejects: cannot write '" + path + "': " + std::strerror(errno));
  return out;
}

}  // namespace

int importCommand(const Args& args) {
  import::ImportOptions opts;
  std::string rejects_path;
  po::options_description options("Import options");
  options.add_options()
      ("region", po::value(&opts.defaults.region)->value_name("R"),
       "region of rows that name none (needed for a file of bare ids)")
      ("profile", po::value(&opts.defaults.profile)->default_value(opts.defaults.profile)->value_name("P"),
       "credential profile of rows that name none")
      ("operation", po::value(&opts.defaults.operation)->value_name("OP"),
       "operation of rows that name none (e.g. DeleteLoadBalancer)")
      ("strict", po::bool_switch(&opts.strict), "import nothing if any row is bad (exit 65)")
      ("rejects", po::value(&rejects_path)->value_name("FILE"),
       "write the bad rows there as CSV, with a reason column")
      ("dry-run", po::bool_switch(&opts.dry_run), "check and count the rows; write nothing");
  ParsedCommand parsed = parseCommand(kSpec, options, {"file"}, args);
  if (parsed.help_shown) return 0;
  if (!parsed.vm.count("file")) {
    throw Error::usage("name a CSV file to import, or - for standard input; see 'taskledger import --help'");
  }
  opts.quiet = parsed.global.quiet;
  const std::string path = parsed.vm["file"].as<std::string>();

  // Everything the user named is checked before the ledger is opened or changed.
  import::InputFile input(path);
  std::ofstream rejects;
  if (!rejects_path.empty()) rejects = openRejects(rejects_path, path, parsed.global.db);

  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  import::Importer importer(repo, opts, std::cerr, rejects_path.empty() ? nullptr : &rejects, "--rejects '" + rejects_path + "'");
  const auto now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  const import::ImportResult r = importer.importStream(input.stream(), input.displayName(), now);

  if (!rejects_path.empty()) {
    rejects.flush();
    if (!rejects) throw Error::runtime("--rejects: writing '" + rejects_path + "' failed");
  }
  const bool strict_failed = opts.strict && r.rejected > 0;
  if (!parsed.global.quiet) {
    std::cout << (opts.dry_run ? "dry run: would import " : "imported ") << (strict_failed ? 0 : r.imported)
              << ", duplicates " << r.duplicates << ", rejected " << r.rejected
              << (opts.dry_run ? "; nothing written" : "") << "\n";
  }
  if (strict_failed) {
    std::cerr << "taskledger import: nothing imported: " << r.rejected << " bad row"
              << (r.rejected == 1 ? "" : "s") << " and --strict\n";
    return static_cast<int>(ExitCode::BadInput);
  }
  return 0;
}

}  // namespace taskledger::cli
