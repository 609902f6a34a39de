#include "Printable.h"

#include "taskledger/domain/Validation.h"

namespace taskledger::import {

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = utf8SequenceLength(text, i);
    if (out.size() + (n ? n : 1) > max) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      out += '?';
      i += 1;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

std::string quoted(std::string_view value) {
  constexpr std::size_t kMaxQuoted = 48;
  return "'" + printable(value, kMaxQuoted) + "'";
}

}  // namespace taskledger::import
