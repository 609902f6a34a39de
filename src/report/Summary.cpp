#include "taskledger/report/Summary.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace taskledger::report {
namespace {

// Said whether or not a run ever polled: these tasks are unanswered, not fine.
void notCheckedWarnings(const Summary& s, std::vector<std::string>& out) {
  if (!s.parked_regions.empty()) {
    std::set<std::string> regions;
    for (const ParkedRegion& p : s.parked_regions) regions.insert(p.region);
    std::string names;
    for (const auto& r : regions) names += (names.empty() ? "" : ", ") + r;
    out.push_back("runs could not check " + names + " (parked): tasks there were not asked about");
  }
  // A task submitted a minute ago is not asked yet as a matter of course; one older than the
  // stuck rule is a gap.
  const bool any_old = std::any_of(s.never_checked.begin(), s.never_checked.end(), [&](const NeverChecked& n) {
    return s.generated_at - n.oldest > s.stuck_after;
  });
  if (any_old) {
    out.push_back(std::to_string(s.never_checked_total) + " task" + (s.never_checked_total == 1 ? " was" : "s were") +
                  " never checked (no answer at all): \"0 failed\" says nothing about them");
  }
}

}  // namespace

std::vector<std::string> warnings(const Summary& s) {
  std::vector<std::string> out;
  for (const auto& u : s.unreadable) out.push_back("the ledger holds an unreadable time: " + u);
  if (s.out_of_range > 0) {
    std::string named;
    for (const auto& t : s.out_of_range_first) named += (named.empty() ? "" : "; ") + t;
    const bool more = s.out_of_range > static_cast<std::int64_t>(s.out_of_range_first.size());
    out.push_back(std::to_string(s.out_of_range) + (s.out_of_range == 1 ? " task has" : " tasks have") +
                  " a submission time not " + kSaneTimeRange + ", so no report's window holds " +
                  (s.out_of_range == 1 ? "it" : "them") + ": " + named + (more ? "; and more" : "") +
                  " (an older version stored what an event said; see taskledger show ID)");
  }
  if (!s.last_run) {
    out.push_back("no run has ever polled this ledger: every state is as imported");
    return out;
  }
  notCheckedWarnings(s, out);
  const LastRun& run = *s.last_run;
  if (run.started_at < s.window.since) {
    out.push_back("no run since " + formatHuman(s.window.since, s.utc) + " (the last started " +
                  formatHuman(run.started_at, s.utc) + "): nobody polled this window, its states are stale");
  }
  if (!run.finished_at) {
    out.push_back("the last run (started " + formatHuman(run.started_at, s.utc) +
                  ") has not finished: it is still running or was killed");
  }
  return out;
}

HeadlineCounts headlineCounts(const Summary& s) {
  return {s.totals.of(TaskClass::Failed), s.totals.of(TaskClass::Stuck), s.totals.of(TaskClass::Rejected),
          s.never_checked_total, distinctRegions(s.parked_regions)};
}

std::vector<HeadlineItem> headline(const Summary& s) {
  const HeadlineCounts now = headlineCounts(s);
  const auto item = [&](std::string_view key, std::string label, std::string section,
                        std::int64_t HeadlineCounts::*count) {
    const auto before = s.before ? std::optional<std::int64_t>(s.before->counts.*count) : std::nullopt;
    return HeadlineItem{std::string(key), std::move(label), std::move(section), now.*count, before};
  };
  const auto cls = [&](TaskClass c, std::int64_t HeadlineCounts::*count) {
    return item(toString(c), std::string(label(c)), std::string(toString(c)), count);
  };
  return {cls(TaskClass::Failed, &HeadlineCounts::failed),
          cls(TaskClass::Stuck, &HeadlineCounts::stuck),
          cls(TaskClass::Rejected, &HeadlineCounts::rejected),
          item("never_checked", "never checked", "never-checked", &HeadlineCounts::never_checked),
          item("parked_regions", now.parked_regions == 1 ? "parked region" : "parked regions", "parked-regions",
               &HeadlineCounts::parked_regions)};
}

bool quiet(const Summary& s) {
  const auto items = headline(s);
  return std::all_of(items.begin(), items.end(), [](const HeadlineItem& i) { return i.count == 0; });
}

std::string ageBand(Millis age) {
  using namespace std::chrono;
  if (age < hours(1)) return "under 1h";
  if (age < hours(6)) return "1h to 6h";
  if (age < hours(24)) return "6h to 1d";
  return "over 1d";
}

namespace {

bool idChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// "1f3a-...", "lb-0abc1234", "42": one token of an id or a number.
std::string tokenShape(std::string_view token) {
  const bool digits = std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return std::string(token);
  const bool only_digits = std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
  return only_digits ? "<n>" : "<id>";
}

}  // namespace

std::string normalisedMessage(std::string_view message, std::string_view region) {
  std::string out;
  out.reserve(message.size());
  std::size_t i = 0;
  while (i < message.size()) {
    if (!idChar(message[i])) {
      const bool space = std::isspace(static_cast<unsigned char>(message[i]));
      if (!space) out += message[i];
      else if (!out.empty() && out.back() != ' ') out += ' ';
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < message.size() && idChar(message[end])) ++end;
    const std::string_view token = message.substr(i, end - i);
    out += !region.empty() && token == region ? std::string("<region>") : tokenShape(token);
    i = end;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool anyIn(const Summary& s, const std::vector<TaskClass>& classes) {
  for (TaskClass c : classes) {
    if (s.totals.of(c) > 0) return true;
  }
  return false;
}

}  // namespace taskledger::report
