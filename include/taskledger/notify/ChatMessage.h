#pragma once
// The words a chat robot posts for a report (report --notify): the headline of what needs a
// person in the window, then the top reasons. Several markups, because each platform renders its
// own; always cut at a line end to fit the platform's limit.
#include <cstddef>
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::notify {

enum class Markup {
  Markdown,  // **bold** (WeCom, DingTalk)
  Slack,     // *bold* (Slack's mrkdwn)
  Plain,     // no markup (Feishu text, the plain JSON's "text")
};

// The most reasons listed, and the most bytes of each reason's message: a chat message is read
// on a phone.
inline constexpr std::size_t kTopReasons = 10;
inline constexpr std::size_t kReasonBytes = 400;

// At most `max_bytes` bytes, never cut inside a line: lines that do not fit are dropped and a
// last line says how many reasons were left out.
std::string chatText(const report::Summary& s, Markup markup, std::size_t max_bytes);

// "3 failed, 2 stuck, 0 rejected, 1 never checked, 0 parked regions", or the quiet day's line.
std::string headlineText(const report::Summary& s);

}  // namespace taskledger::notify
