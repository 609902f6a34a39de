#include <sys/ioctl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "CommandLine.h"
#include "Commands.h"
#include "NotifyFlags.h"
#include "StuckAfter.h"
#include "taskledger/domain/Clock.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"
#include "taskledger/store/ReportQueries.h"
#include "taskledger/report/Format.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/report/Reporter.h"

namespace taskledger::cli {
namespace {

const CommandSpec kSpec{
    "report",
    "report [--day YYYY-MM-DD | --since T [--until T]] [options]",
    "the end-of-day audit report: which changes succeeded, failed, or are stuck",
    "Selects the tasks submitted in the window: --day is the operator's local day (TZ honoured;\n"
    "--utc for a UTC day), or --since/--until (ISO-8601; without a zone local time, or UTC with\n"
    "--utc; --until defaults to now). Without either: today. Classes: succeeded, failed, stuck,\n"
    "in_progress, pending, rejected, expired; a task is stuck when pending or in progress for\n"
    "longer than --stuck-after, and every task is in exactly one class. Times are shown in local\n"
    "time unless --utc; JSON is always UTC. --fail-on exits 3 when any task is in a named class.\n"
    "The headline (failed, stuck, rejected, never checked, parked regions) shows each count's\n"
    "change against the previous window (the day before, or as long just before --since);\n"
    "--compare-previous adds that window's totals per class and its bars in the chart. On a\n"
    "window that reaches past now (today) the previous one is cut at the same moment, and the\n"
    "report says the day is partial. CSV holds one table per file: --table picks it; --bom\n"
    "starts it with a UTF-8 byte order mark for spreadsheets. Text fits 80 columns, or the\n"
    "terminal's width on a terminal; --width N overrides (0: never wrap).\n"
    "--notify URL posts the headline (failed, stuck, rejected, never checked, parked regions) and\n"
    "the top reasons to a chat robot, told by the URL's host: WeCom, DingTalk, Feishu/Lark, Slack,\n"
    "else plain JSON; --notify-secret signs for DingTalk and Feishu. The URL's key and the secret\n"
    "are never printed; keep them in the INI file (notify, notify-secret) or in TASKLEDGER_NOTIFY\n"
    "(space-separated URLs) and TASKLEDGER_NOTIFY_SECRET. Exit 1 when a robot refused or could not\n"
    "be reached (the --output file is written all the same).",
    "  taskledger report --day 2026-03-10 --format html --output /var/www/report.html \\\n"
    "      --fail-on failed,stuck,rejected"};

report::Window chooseWindow(const po::variables_map& vm, bool utc, TimePoint now) {
  const bool day = vm.count("day"), since = vm.count("since"), until = vm.count("until");
  if (day && (since || until)) throw Error::usage("give --day or --since/--until, not both");
  if (until && !since) throw Error::usage("--until needs --since");
  if (since) {
    const auto read = [&](const char* flag) {
      const std::string text = vm[flag].as<std::string>();
      auto t = report::parseWindowTime(text, utc);
      if (!t) {
        throw Error::usage(std::string("--") + flag + ": '" + text +
                           "' is not a time; write e.g. 2026-03-10T08:00 or 2026-03-10T08:00:00Z");
      }
      return *t;
    };
    report::Window w{read("since"), until ? read("until") : now};
    if (w.since >= w.until) throw Error::usage("the window is empty: --since must be before --until");
    return w;
  }
  const std::string text = day ? vm["day"].as<std::string>() : report::civilDay(now, utc);
  auto w = report::dayWindow(text, utc);
  if (!w) throw Error::usage("--day: '" + text + "' is not a date; write YYYY-MM-DD");
  return *w;
}

// An empty report for "--region ap-guangzhuo" must not read as a quiet day: a filter no task of
// the whole ledger matches is a usage error listing the values it holds.
void checkFiltersMatchSomething(store::Database& db, const report::Filters& filters) {
  store::ReportQueries q(db);
  const std::pair<const char*, const std::string*> named[] = {
      {"region", &filters.region}, {"profile", &filters.profile}, {"operation", &filters.operation}};
  for (const auto& [column, value] : named) {
    if (value->empty() || q.anyTaskWith(column, *value)) continue;
    constexpr std::size_t kListed = 20;
    const auto known = q.knownValues(column, kListed + 1);
    if (known.empty()) continue;  // an empty ledger: nothing to mistype against
    std::string list;
    for (std::size_t i = 0; i < known.size() && i < kListed; ++i) list += (i ? ", " : "") + known[i];
    if (known.size() > kListed) list += ", ...";
    throw Error::usage(std::string("--") + column + ": no task in the ledger has " + column + " '" +
                       escapeForTerminal(*value) + "' (it has: " + escapeForTerminal(list) + ")");
  }
}

// Cron mail and pagers wrap lines wider than this badly.
constexpr int kPlainWidth = 80;

// The terminal's columns when stdout is one, else kPlainWidth.
int terminalWidth() {
  winsize size{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return kPlainWidth;
}

}  // namespace

int reportCommand(const Args& args) {
  std::string format_name = "text", table_name = "tasks", output, fail_on;
  bool compare_previous = false;
  report::RenderOptions render_options;
  report::ReportRequest request;
  po::options_description options("Options");
  options.add_options()
      ("day", po::value<std::string>()->value_name("YYYY-MM-DD"), "the tasks submitted that day (default: today)")
      ("since", po::value<std::string>()->value_name("T"), "the tasks submitted at or after T")
      ("until", po::value<std::string>()->value_name("T"), "... and before T (default: now)")
      ("utc", po::bool_switch(&request.utc), "days and times in UTC instead of the local time zone")
      ("region", po::value(&request.filters.region)->value_name("R"), "only tasks of this region")
      ("profile", po::value(&request.filters.profile)->value_name("P"), "only tasks of this profile")
      ("operation", po::value(&request.filters.operation)->value_name("OP"), "only tasks of this operation")
      ("format", po::value(&format_name)->default_value(format_name)->value_name("F"),
       "text, csv, json, markdown or html")
      ("table", po::value(&table_name)->value_name("T"),
       "with --format csv, which table: tasks (default), failure_reasons, hours, by_actor, totals or\n"
       "headline (what needs a person, with the previous window's counts)")
      ("output,o", po::value(&output)->value_name("FILE"), "write to FILE (atomically) instead of stdout")
      ("fail-on", po::value(&fail_on)->value_name("LIST"),
       "exit 3 when any task is in one of these classes, e.g. failed,stuck,rejected")
      ("compare-previous", po::bool_switch(&compare_previous),
       "also show the window before (the day before, for a day) and the change per class")
      ("width", po::value(&render_options.width)->value_name("N"),
       "text: fit N columns (default: the terminal's width, 80 when not a terminal; 0: never wrap)")
      ("bom", po::bool_switch(&render_options.bom), "CSV: start with a UTF-8 byte order mark (for Excel)");
  addStuckAfterOption(options, "an unresolved task older than this is stuck (as in run's summary)");
  NotifyFlags notify;
  addNotifyOptions(options, notify);
  ParsedCommand parsed = parseCommand(kSpec, options, {}, args);
  if (parsed.help_shown) return 0;
  checkNotifyFlags(notify, parsed.vm);

  const auto format = report::parseFormat(format_name);
  if (!format) throw Error::usage("--format: '" + format_name + "' is not text, csv, json, markdown or html");
  const auto table = report::parseCsvTable(table_name);
  if (!table) {
    throw Error::usage("--table: '" + table_name + "' is not tasks, failure_reasons, hours, by_actor, totals or headline");
  }
  if (parsed.vm.count("table") && *format != report::Format::Csv) {
    throw Error::usage("--table needs --format csv: the other formats hold every table in one document");
  }
  if (parsed.vm.count("width") && render_options.width < 0) {
    throw Error::usage("--width: " + std::to_string(render_options.width) + " is negative; give columns, or 0 for no wrapping");
  }
  if (render_options.bom && *format != report::Format::Csv) throw Error::usage("--bom needs --format csv");
  if (!parsed.vm.count("width")) render_options.width = output.empty() ? terminalWidth() : kPlainWidth;
  request.stuck_after = stuckAfterFlag(parsed.vm);
  std::vector<report::TaskClass> fail_classes;
  try {
    fail_classes = report::parseClassList(fail_on);
  } catch (const Error& e) {
    throw Error::usage(std::string("--fail-on: ") + e.what());
  }
  if (parsed.vm.count("fail-on") && fail_classes.empty()) {
    throw Error::usage("--fail-on: name at least one class, e.g. failed,stuck,rejected");
  }
  if (!output.empty()) report::checkOutputPath("--output", output, parsed.global.db);
  const TimePoint now = SystemClock().now();
  request.window = chooseWindow(parsed.vm, request.utc, now);
  if (compare_previous) request.previous = report::previousWindow(request.window, request.utc);

  // Read-only: a report never migrates or waits for a writer, and a mistyped --db is exit 2,
  // never an empty ledger that looks like a quiet day.
  store::Database db(parsed.global.db, store::OpenMode::ReadOnly);
  const report::Summary summary = report::summarize(db, request, now);
  if (summary.totals.total == 0) checkFiltersMatchSomething(db, request.filters);
  const std::string document = *format == report::Format::Csv ? report::renderCsvTable(summary, *table, render_options)
                                                               : report::render(summary, *format, render_options);
  if (output.empty()) {
    std::cout << document << std::flush;
  } else {
    report::writeFileAtomically(output, document);
  }

  // The report is written first: a robot that refuses must not cost the file as well.
  const bool delivered = notifyAll(notify, parsed.vm, summary, parsed.global.verbose);
  if (!delivered) return static_cast<int>(ExitCode::Failure);

  if (!report::anyIn(summary, fail_classes)) return 0;
  if (!parsed.global.quiet) {
    std::string found;
    for (report::TaskClass c : fail_classes) {
      if (summary.totals.of(c) == 0) continue;
      found += (found.empty() ? "" : ", ") + std::to_string(summary.totals.of(c)) + " " +
               std::string(report::toString(c));
    }
    std::cerr << "taskledger report: --fail-on matched: " << found << "\n";
  }
  return static_cast<int>(ExitCode::ReportMatched);
}

}  // namespace taskledger::cli
