#pragma once
// Seeded, stateless randomness: a draw is a pure function of its inputs, so faults and generated
// data do not depend on thread interleaving.
#include <cstdint>
#include <string>
#include <string_view>

namespace taskledger::mock {

inline std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// splitmix64's finaliser over the combined inputs.
inline std::uint64_t mix64(std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  std::uint64_t z = a + 0x9e3779b97f4a7c15ull * (b + 1) + 0xbf58476d1ce4e5b9ull * (c + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform in [0, 1).
inline double unitInterval(std::uint64_t bits) { return double(bits >> 11) * 0x1.0p-53; }

// A version-4-shaped lower-case UUID from 128 random bits.
inline std::string uuidFrom(std::uint64_t hi, std::uint64_t lo) {
  static const char* kHex = "0123456789abcdef";
  hi = (hi & ~0xf000ull) | 0x4000ull;                         // version 4
  lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    std::uint64_t word = i < 16 ? hi : lo;
    out.push_back(kHex[(word >> (60 - 4 * (i % 16))) & 0xf]);
    if (i == 7 || i == 11 || i == 15 || i == 19) out.push_back('-');
  }
  return out;
}

}  // namespace taskledger::mock
