#include "taskledger/tencent/RefreshingCredentialProvider.h"

#include <algorithm>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {

RefreshingCredentialProvider::RefreshingCredentialProvider(std::string identity, Fetch fetch, const Clock& clock)
    : identity_(std::move(identity)), fetch_(std::move(fetch)), clock_(clock) {}

TimePoint RefreshingCredentialProvider::refreshTime(TimePoint fetched, TimePoint expires) {
  const Millis life = std::max(Millis(0), expires - fetched);
  return expires - std::min(kRefreshAhead, life / 2);
}

Credentials RefreshingCredentialProvider::current() {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  if (held_ && now < next_fetch_) return held_->credentials;
  try {
    TemporaryCredentials fresh = fetch_();
    if (fresh.credentials.secret_id.empty() || fresh.credentials.secret_key.empty()) {
      throw Error(ExitCode::AuthRefused, "temporary credentials for " + identity_ + " came without keys");
    }
    if (fresh.expires_at <= now) {
      throw Error(ExitCode::AuthRefused, "temporary credentials for " + identity_ + " expired at " +
                                             formatIsoUtc(fresh.expires_at) + ", before they were used");
    }
    fresh.expires_at = std::min(fresh.expires_at, now + kMaxKeyLife);
    next_fetch_ = refreshTime(now, fresh.expires_at);
    held_ = std::move(fresh);
  } catch (const std::exception&) {
    // The old keys serve until they expire; the run must not stop for a renewal that can wait.
    if (!held_ || now >= held_->expires_at) throw;
    next_fetch_ = std::min(now + kRetryAfterFailure, held_->expires_at);
  }
  return held_->credentials;
}

std::optional<TimePoint> RefreshingCredentialProvider::expiresAt() const {
  std::lock_guard lock(mutex_);
  if (!held_) return std::nullopt;
  return held_->expires_at;
}

}  // namespace taskledger::tencent
