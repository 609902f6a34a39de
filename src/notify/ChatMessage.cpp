#include "taskledger/notify/ChatMessage.h"

#include <vector>

#include "taskledger/domain/Text.h"
#include "taskledger/report/Attention.h"

namespace taskledger::notify {
namespace {

std::string bold(const std::string& text, Markup m) {
  if (m == Markup::Markdown) return "**" + text + "**";
  if (m == Markup::Slack) return "*" + text + "*";
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + (i.empty() ? std::string("(none)") : i);
  return out;
}

// A message from the ledger on one line: a newline in it would break the list.
std::string oneLine(const std::string& text) {
  std::string out;
  for (char c : boundedText(text, kReasonBytes)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::string reasonLine(const report::ReasonGroup& g) {
  std::string what = std::to_string(g.count) + " " + std::string(report::toString(g.task_class)) + ": ";
  if (!g.error_code.empty()) what += g.error_code + (g.message.empty() ? "" : " " + oneLine(g.message));
  else what += g.message.empty() ? "(no message)" : oneLine(g.message);
  return "- " + what + " (" + joined(g.regions) + "; " + joined(g.operations) + ")";
}

std::string windowLine(const report::Summary& s) {
  return "taskledger audit " + formatHuman(s.window.since, s.utc) + " to " + formatHuman(s.window.until, s.utc);
}

}  // namespace

std::string headlineText(const report::Summary& s) {
  const std::string total = std::to_string(s.totals.total) + " tasks";
  if (report::quiet(s)) return "nothing needs attention (" + total + ")";
  // The report's own headline, so that the chat and the report never count differently; a
  // change is told only where there is one, to keep the line short.
  std::string out;
  bool changed = false;
  for (const report::HeadlineItem& item : report::headline(s)) {
    out += (out.empty() ? "" : ", ") + std::to_string(item.count) + " " + item.label;
    if (item.previous && *item.previous != item.count) {
      const std::int64_t d = item.count - *item.previous;
      out += " (" + std::string(d > 0 ? "+" : "") + std::to_string(d) + ")";
      changed = true;
    }
  }
  return out + " (of " + total + (changed ? "; changes against the same span of the previous window" : "") + ")";
}

std::string chatText(const report::Summary& s, Markup markup, std::size_t max_bytes) {
  std::string text = bold(windowLine(s), markup) + "\n" + headlineText(s) + "\n";
  const auto reasons = report::topReasons(s, kTopReasons);
  if (!reasons.empty()) text += "Top reasons:\n";
  std::size_t shown = 0;
  for (const auto& g : reasons) {
    const std::string line = reasonLine(g) + "\n";
    // Room is kept for the line that says how many were left out.
    if (text.size() + line.size() + 40 > max_bytes) break;
    text += line;
    ++shown;
  }
  const std::size_t left = s.failure_reasons.size() - shown;
  if (left > 0) text += "(" + std::to_string(left) + " more reason" + (left == 1 ? "" : "s") + " in the report)\n";
  return boundedText(text, max_bytes > 3 ? max_bytes - 3 : max_bytes);
}

}  // namespace taskledger::notify
