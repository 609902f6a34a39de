#pragma once
// The temporary keys the endpoint has handed out (STS AssumeRole, the CVM metadata route), so that
// its CLB route accepts them, with their token, until they expire. Thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace taskledger::mock {

struct IssuedKey {
  std::string secret_id, secret_key, token;
  // Whom Tencent counts for its limits: the role, the same for every key issued for it.
  std::string account;
  std::int64_t expires = 0;  // Unix seconds
};

class TemporaryKeys {
 public:
  static constexpr std::int64_t kForgetAfterSeconds = 3600;

  IssuedKey issue(const std::string& account, std::int64_t now, std::int64_t lifetime_seconds);
  std::optional<IssuedKey> find(const std::string& secret_id) const;

 private:
  std::string randomHex(std::size_t length);

  mutable std::mutex mutex_;
  // protected by mutex_:
  std::mt19937_64 rng_{std::random_device{}()};
  std::map<std::string, IssuedKey> issued_;
};

}  // namespace taskledger::mock
