#include "taskledger/domain/Text.h"

#include <cstdio>

#include "taskledger/domain/Validation.h"

namespace taskledger {
namespace {

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void appendHex(std::string& out, const char* form, unsigned value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, form, value);
  out += buf;
}

}  // namespace

std::string boundedText(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes + 3) return std::string(text);
  std::size_t keep = max_bytes;
  while (keep > 0 && isUtf8Continuation(text[keep])) --keep;
  std::string out(text.substr(0, keep));
  out += "...";
  return out;
}

std::string serverText(std::string_view text) {
  if (text.size() <= kMaxServerText) return std::string(text);
  // The marker fits inside the bound, so that a cut text read back (a code written to the ledger and
  // parsed again) is kept as it is rather than cut and marked once more.
  const std::string marker = "... [cut from " + std::to_string(text.size()) + " bytes]";
  std::size_t keep = kMaxServerText - marker.size();
  while (keep > 0 && isUtf8Continuation(text[keep])) --keep;
  return std::string(text.substr(0, keep)) + marker;
}

std::string escapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8SequenceLength(text, i);
    if (n == 0) {
      appendHex(out, "\\x%02x", c);
      ++i;
      continue;
    }
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {  // U+0080..U+009F
      appendHex(out, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
    } else if (n > 1) {
      out.append(text.substr(i, n));
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      appendHex(out, "\\x%02x", c);
    } else {
      out += static_cast<char>(c);
    }
    i += n;
  }
  return out;
}

}  // namespace taskledger
