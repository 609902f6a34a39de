#include "RunReporter.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "JsonLine.h"
#include "taskledger/domain/Text.h"

namespace taskledger::cli {
namespace {

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The scheduler's estimate, rounded up: never 0m00s while a task remains.
std::string eta(const scheduler::ProgressSnapshot& s) {
  if (s.remaining <= 0) return "-";
  const long long secs = std::max<long long>(1, (s.eta.count() + 999) / 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lldm%02llds", secs / 60, secs % 60);
  return s.eta > s.budget_left ? std::string(buf) + " (past the budget: the next run goes on)" : std::string(buf);
}

}  // namespace

RunReporter::Style RunReporter::chooseStyle(const std::string& log_format, bool quiet, int fd) {
  if (log_format == "json") return Style::Json;
  if (quiet) return Style::Quiet;
  return ::isatty(fd) ? Style::Live : Style::Plain;
}

void RunReporter::profileStarting(const std::string& profile, std::size_t count) {
  profile_ = profile;
  profiles_ = count;
}

std::string RunReporter::prefix() const {
  return profiles_ > 1 ? "run [" + escapeForTerminal(profile_) + "]: " : "run: ";
}

void RunReporter::started(std::int64_t due, std::int64_t unresolved, std::size_t hosts, std::size_t concurrency) {
  switch (style_) {
    case Style::Quiet: return;
    case Style::Json:
      out_ << JsonLine("run.start").add("profile", profile_).add("due", due).add("unresolved", unresolved).add("hosts", static_cast<std::int64_t>(hosts))
                  .add("concurrency", static_cast<std::int64_t>(concurrency)).str() << std::endl;
      return;
    default:
      if (due == 0) {
        out_ << prefix() << "nothing due (" << unresolved << " unresolved, none due yet)" << std::endl;
      } else {
        out_ << prefix() << due << " due of " << unresolved << " unresolved, " << hosts
             << " host" << (hosts == 1 ? "" : "s") << ", up to " << concurrency << " requests in flight" << std::endl;
      }
  }
}

void RunReporter::progress(const scheduler::ProgressSnapshot& s) {
  if (style_ != Style::Live) return;
  std::string text = (profiles_ > 1 ? prefix() : "") + "checked " + std::to_string(s.stats.checked) + " / remaining " +
                     std::to_string(s.remaining);
  if (s.waiting) text += " (" + std::to_string(s.waiting) + " waiting on a backoff or their next check)";
  text += "  " + fixed1(s.rate) + " req/s  resolved " + std::to_string(s.stats.resolved) + "  errors " +
          std::to_string(s.stats.errors);
  if (s.stats.rate_limited) text += "  rate-limited " + std::to_string(s.stats.rate_limited);
  live_.show(text + "  ETA " + eta(s));
}

void RunReporter::endLiveLine() { live_.end(); }

void RunReporter::problem(const std::string& line) {
  if (style_ == Style::Json) {
    out_ << JsonLine("run.problem", "warning").add("profile", profile_).add("message", line).str() << std::endl;
    return;
  }
  endLiveLine();
  out_ << prefix() << escapeForTerminal(line) << std::endl;
}

void RunReporter::answered(const std::string& host, const std::string& request_id, const std::string& outcome,
                           long long latency_ms) {
  if (!verbose_) return;
  if (style_ == Style::Json) {
    out_ << JsonLine("run.request").add("profile", profile_).add("host", host).add("request_id", request_id).add("outcome", outcome)
                .add("latency_ms", static_cast<std::int64_t>(latency_ms)).str()
         << std::endl;
    return;
  }
  endLiveLine();
  out_ << prefix() << escapeForTerminal(host) << " " << escapeForTerminal(request_id) << " "
       << escapeForTerminal(outcome) << " " << latency_ms << " ms" << std::endl;
}

void RunReporter::finished(const scheduler::RunOutcome& o, Millis elapsed, std::int64_t stuck) {
  double secs = static_cast<double>(elapsed.count()) / 1000.0;
  double rate = secs > 0 ? static_cast<double>(o.stats.checked) / secs : 0;
  if (style_ == Style::Json) {
    out_ << JsonLine("run.finish", o.exit == ExitCode::Ok ? "info" : "error")
                .add("profile", profile_).add("reason", o.reason).add("exit_code", static_cast<std::int64_t>(o.exit))
                .add("checked", o.stats.checked).add("resolved", o.stats.resolved).add("errors", o.stats.errors)
                .add("rate_limited", o.stats.rate_limited).add("expired", o.expired)
                .add("unresolved", o.unresolved_left).add("stuck", stuck).add("seconds", secs).add("rate", rate)
                .str()
         << std::endl;
    return;
  }
  if (style_ == Style::Quiet && o.exit == ExitCode::Ok) return;
  endLiveLine();
  if (o.reason.rfind("skipped: ", 0) == 0) {  // nothing was asked: the reason is the whole story
    out_ << prefix() << escapeForTerminal(o.reason) << "; " << o.unresolved_left << " unresolved" << std::endl;
    return;
  }
  out_ << prefix() << escapeForTerminal(o.reason) << ": checked " << o.stats.checked << ", resolved " << o.stats.resolved << ", errors "
       << o.stats.errors << ", rate-limited " << o.stats.rate_limited;
  if (o.expired) out_ << ", expired " << o.expired;
  out_ << "; " << o.unresolved_left << " unresolved (" << stuck << " stuck) in " << fixed1(secs) << " s, "
       << fixed1(rate) << " checks/s" << std::endl;
}

void RunReporter::finishedAll(const scheduler::ProfilesResult& result) {
  if (result.profiles.size() < 2) return;  // its finish line said it all
  std::string outcomes;
  for (const auto& p : result.profiles) {
    const auto& o = p.result.outcome;
    if (!outcomes.empty()) outcomes += ", ";
    outcomes += p.profile + " " + (p.skipped ? "skipped" : o.reason.substr(0, o.reason.find(':'))) + " (exit " +
                std::to_string(static_cast<int>(o.exit)) + ")";
  }
  const auto exit = static_cast<std::int64_t>(result.exit);
  if (style_ == Style::Json) {
    out_ << JsonLine("run.profiles", result.exit == ExitCode::Ok ? "info" : "error")
                .add("profiles", outcomes).add("exit_code", exit).str()
         << std::endl;
    return;
  }
  if (style_ == Style::Quiet && result.exit == ExitCode::Ok) return;
  endLiveLine();
  out_ << "run: " << result.profiles.size() << " profiles: " << escapeForTerminal(outcomes) << "; exit " << exit
       << std::endl;
}

}  // namespace taskledger::cli
