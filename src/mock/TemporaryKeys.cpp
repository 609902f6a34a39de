#include "TemporaryKeys.h"

namespace taskledger::mock {

std::string TemporaryKeys::randomHex(std::size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  while (out.size() < length) out.push_back(kHex[rng_() & 0xf]);
  return out;
}

IssuedKey TemporaryKeys::issue(const std::string& account, std::int64_t now, std::int64_t lifetime_seconds) {
  std::lock_guard lock(mutex_);
  // Keys long expired only ever get TokenFailure again: forgetting them bounds the memory.
  std::erase_if(issued_, [now](const auto& entry) { return entry.second.expires < now - kForgetAfterSeconds; });
  IssuedKey key{"AKIDtmp" + randomHex(25), randomHex(32), randomHex(48), account, now + lifetime_seconds};
  issued_[key.secret_id] = key;
  return key;
}

std::optional<IssuedKey> TemporaryKeys::find(const std::string& secret_id) const {
  std::lock_guard lock(mutex_);
  const auto it = issued_.find(secret_id);
  if (it == issued_.end()) return std::nullopt;
  return it->second;
}

}  // namespace taskledger::mock
