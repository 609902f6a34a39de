#include "taskledger/domain/JsonText.h"

#include "taskledger/domain/Validation.h"

namespace taskledger {
namespace {

constexpr std::string_view kReplacementEscape = "\\uFFFD";
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The UTF-16 code unit of the "\uXXXX" escape at json[i], or -1 when there is none.
int escapedUnit(std::string_view json, std::size_t i) {
  if (i + 6 > json.size() || json[i] != '\\' || json[i + 1] != 'u') return -1;
  int unit = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const int h = hexValue(json[k]);
    if (h < 0) return -1;
    unit = unit * 16 + h;
  }
  return unit;
}

bool isHighSurrogate(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool isLowSurrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

// Copies the escape at json[i] (a backslash) to `out`, repaired; returns its length.
std::size_t copyEscape(std::string_view json, std::size_t i, std::string& out) {
  const int unit = escapedUnit(json, i);
  if (unit < 0) {  // "\n", "\\", "\"", ...: two characters, so an escaped backslash is skipped whole
    const std::size_t n = i + 1 < json.size() ? 2 : 1;
    out.append(json.substr(i, n));
    return n;
  }
  if (isHighSurrogate(unit) && isLowSurrogate(escapedUnit(json, i + 6))) {
    out.append(json.substr(i, 12));
    return 12;
  }
  if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
    out.append(kReplacementEscape);
  } else {
    out.append(json.substr(i, 6));
  }
  return 6;
}

}  // namespace

std::string repairJsonText(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size();) {
    if (json[i] == '\\') {
      i += copyEscape(json, i, out);
      continue;
    }
    const std::size_t n = utf8SequenceLength(json, i);
    if (n == 0) {
      out.append(kReplacementUtf8);
      ++i;
      continue;
    }
    out.append(json.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace taskledger
