#pragma once
// Text that comes from outside (a server's answer, a CSV cell) before it is stored or shown.
#include <cstddef>
#include <string>
#include <string_view>

namespace taskledger {

// `text` cut to at most `max_bytes` bytes plus "...", never inside a UTF-8 character. A text no
// longer than a cut one is kept whole, so bounding twice changes nothing.
std::string boundedText(std::string_view text, std::size_t max_bytes);

// What a server says in an error (STS, the metadata service, CloudAudit, a proxy) is shown to a
// person: a few hundred bytes hold any real message, and a 50 KB one must not flood the terminal.
inline constexpr std::size_t kMaxServerText = 300;

// `text` cut (never inside a UTF-8 character) and marked "... [cut from N bytes]" so that the
// whole is at most kMaxServerText bytes; a text that fits is kept whole, so a cut text stays as it
// is when cut again. Not yet escaped: that is done where it
// is printed (escapeForTerminal), once.
std::string serverText(std::string_view text);

// `text` safe to print on a terminal or in a log line: control characters (C0, DEL, and the C1
// range U+0080..U+009F, which some terminals obey) become visible escapes ("\n", "\x1b",
// "\u009b"), and a backslash is doubled so an escape is never ambiguous. Bytes that are not
// UTF-8 become "\xNN". Text without such characters is returned unchanged.
std::string escapeForTerminal(std::string_view text);

}  // namespace taskledger
