#pragma once
// JSON text from outside (a server's answer, tccli's output) made readable before it is parsed.
// Poco's parser refuses a whole document for one lone UTF-16 surrogate escape ("\ud800") and
// carries invalid UTF-8 into its strings; one bad field must not make a page of events unreadable.
#include <string>
#include <string_view>

namespace taskledger {

// `json` with every "\uD800".."\uDFFF" escape that is not part of a valid surrogate pair replaced
// by "\uFFFD", and every byte that is not part of well-formed UTF-8 replaced by U+FFFD. Anything
// else is kept byte for byte, so a well-formed document is returned unchanged. One linear pass; the
// result is at most three times as long as `json` (only for a text of nothing but invalid bytes).
std::string repairJsonText(std::string_view json);

}  // namespace taskledger
