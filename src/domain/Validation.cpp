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

bool isValidProfileName(std::string_view p) {
  if (p.empty() || p.size() > kMaxProfileName || p.find("..") != std::string_view::npos) return false;
  for (const char c : p) {
    const bool ok = isLower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string profileNameProblem(std::string_view profile, std::string_view what) {
  return std::string(what) + ": '" + std::string(profile.substr(0, kMaxProfileName)) +
         (profile.size() > kMaxProfileName ? "..." : "") + "' is not a profile name (letters, digits, '_', '.', '-'; no '..'; at most " +
         std::to_string(kMaxProfileName) + " characters)";
}

std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
  }
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  }
  if (c == 0xe0 && b(i + 1) < 0xa0) return 0;  // overlong
  if (c == 0xed && b(i + 1) > 0x9f) return 0;  // UTF-16 surrogate
  if (c == 0xf0 && b(i + 1) < 0x90) return 0;  // overlong
  if (c == 0xf4 && b(i + 1) > 0x8f) return 0;  // past U+10FFFF
  return n;
}

bool isValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool isFinanceRegion(std::string_view region) {
  return region.size() > 4 && region.substr(region.size() - 4) == "-fsi";
}

}  // namespace taskledger
