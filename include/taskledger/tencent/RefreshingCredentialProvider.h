#pragma once
// Temporary keys (an STS role, the CVM instance role) that renew themselves while a run goes on.
//
// current() hands out the keys it holds and fetches new ones on demand, inside the call, once the
// refresh time is reached: 5 minutes before expiry, or at half their life when that is shorter
// (10-second keys are renewed after 5 s). A failed renewal keeps the old keys while they are still
// valid and tries again a little later; only when they have expired does current() throw the
// fetch's error. Keys live in memory only. Thread-safe: one mutex, held during a fetch, so a
// refresh happens once however many threads ask.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/Time.h"
#include "taskledger/tencent/CredentialProvider.h"

namespace taskledger::tencent {

struct TemporaryCredentials {
  Credentials credentials;  // with the token that must travel as X-TC-Token
  TimePoint expires_at;
};

class RefreshingCredentialProvider final : public CredentialProvider {
 public:
  // Fetches fresh keys; throws taskledger::Error when it cannot.
  using Fetch = std::function<TemporaryCredentials()>;

  // `identity`: who the keys are to Tencent's limits (e.g. "role:qcs::cam::uin/1:roleName/r");
  // `clock` outlives the provider.
  RefreshingCredentialProvider(std::string identity, Fetch fetch, const Clock& clock);

  Credentials current() override;
  std::string identity() const override { return identity_; }

  // When the keys current() last handed out expire; nullopt before the first fetch.
  std::optional<TimePoint> expiresAt() const;

  // When keys fetched at `fetched` and valid until `expires` are renewed.
  static TimePoint refreshTime(TimePoint fetched, TimePoint expires);

  // How long to wait after a failed renewal before trying again (the old keys still serve).
  static constexpr Millis kRetryAfterFailure{1000};
  // The SDKs renew this long before expiry.
  static constexpr Millis kRefreshAhead{5 * 60 * 1000};
  // An ExpiredTime further ahead than this is taken as this: STS grants at most 12 hours, the
  // metadata service hours; years ahead (milliseconds read as seconds) would never renew and
  // would print as year 58902. Renewing early costs one call.
  static constexpr Millis kMaxKeyLife = kMaxFutureSkew;

 private:
  const std::string identity_;
  const Fetch fetch_;
  const Clock& clock_;

  mutable std::mutex mutex_;
  // Protected by mutex_:
  std::optional<TemporaryCredentials> held_;
  TimePoint next_fetch_{};
};

}  // namespace taskledger::tencent
