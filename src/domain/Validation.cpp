#include "taskledger/domain/Validation.h"

namespace taskledger {
namespace {
bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
}  // namespace

std::optional<std::string> normalizeRequestId(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
    } else if (!isHex(c)) {
      return std::nullopt;
    } else if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool isValidRegion(std::string_view r) {
  // area "xx", then one or more "-word" parts of lower-case letters or digits.
  if (r.size() < 4 || r.size() > 64) return false;
  if (!isLower(r[0]) || !isLower(r[1]) || r[2] != '-') return false;
  bool part_empty = true;
  for (std::size_t i = 3; i < r.size(); ++i) {
    char c = r[i];
    if (c == '-') {
      if (part_empty) return false;
      part_empty = true;
    } else if (isLower(c) || (c >= '0' && c <= '9')) {
      part_empty = false;
    } else {
      return false;
    }
  }
  return !part_empty;
}

bool isFinanceRegion(std::string_view region) {
  return region.size() > 4 && region.substr(region.size() - 4) == "-fsi";
}

}  // namespace taskledger
