#pragma once
// Text that comes from outside (a server's answer, a CSV cell) before it is stored or shown.
#include <cstddef>
#include <string>
#include <string_view>

namespace taskledger {

// `text` cut to at most `max_bytes` bytes plus "...", never inside a UTF-8 character. A text no
// longer than a cut one is kept whole, so bounding twice changes nothing.
std::string boundedText(std::string_view text, std::size_t max_bytes);

// `text` safe to print on a terminal or in a log line: control characters (C0, DEL, and the C1
// range U+0080..U+009F, which some terminals obey) become visible escapes ("\n", "\x1b",
// "\u009b"), and a backslash is doubled so an escape is never ambiguous. Bytes that are not
// UTF-8 become "\xNN". Text without such characters is returned unchanged.
std::string escapeForTerminal(std::string_view text);

}  // namespace taskledger
