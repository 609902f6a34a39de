#pragma once
// Values from input files and pipes, shown in one-line messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace taskledger::import {

// `text` as one printable line of at most `max` bytes plus "...": control characters (line
// breaks from quoted fields) and bytes that are not UTF-8 become '?', and a cut never falls
// inside a character.
std::string printable(std::string_view text, std::size_t max);

// printable(value, 48) between single quotes: short enough for a reason that names a value.
std::string quoted(std::string_view value);

}  // namespace taskledger::import
