#pragma once
// The assertion of the fuzz targets: a broken property prints what was expected and aborts, which
// libFuzzer reports as a crash and saves the input as an artifact (then it becomes a unit test).
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace taskledger::fuzz {

[[noreturn]] inline void propertyFailed(const char* file, int line, const char* cond, std::string_view what) {
  std::fprintf(stderr, "%s:%d: property failed: %s (%.*s)\n", file, line, cond, static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace taskledger::fuzz

#define FUZZ_CHECK(cond, what) \
  do {                         \
    if (!(cond)) ::taskledger::fuzz::propertyFailed(__FILE__, __LINE__, #cond, (what)); \
  } while (false)

namespace taskledger::fuzz {

// The fuzzer's bytes as text.
inline std::string_view asText(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// True when every byte is printable on one line (no control characters, no line breaks).
inline bool isOneLine(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

}  // namespace taskledger::fuzz
