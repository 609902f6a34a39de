#pragma once
// report --notify: the flags, their INI keys and environment variables, and the delivery of the
// headline to every robot named. Kept beside ReportCommand so that the report's own flags stay
// about the report.
#include <string>
#include <vector>

#include "CommandLine.h"
#include "taskledger/report/Summary.h"

namespace taskledger::cli {

struct NotifyFlags {
  std::vector<std::string> urls;  // --notify (repeatable; INI notify), else TASKLEDGER_NOTIFY
  std::string secret;             // --notify-secret, else TASKLEDGER_NOTIFY_SECRET
  std::string ca_file, proxy;
  std::vector<std::string> resolve;
};

// Adds --notify, --notify-secret, --notify-timeout, --ca-file, --resolve and --proxy.
void addNotifyOptions(po::options_description& options, NotifyFlags& flags);

// Posts the headline of `summary` to every URL. Checked first, before the report is made (usage
// errors, exit 2), by checkNotifyFlags(). Returns false when a robot refused or could not be
// reached; each failure is one line on stderr that names the platform, never the URL's key.
void checkNotifyFlags(NotifyFlags& flags, const po::variables_map& vm);
bool notifyAll(const NotifyFlags& flags, const po::variables_map& vm, const report::Summary& summary, bool verbose);

}  // namespace taskledger::cli
