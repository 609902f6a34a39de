#include "StoppableClock.h"

#include "taskledger/tencent/CallRegistry.h"

namespace taskledger::cli {

// The next call after a stop is aborted before it is sent, so returning early is enough.
void StoppableClock::sleepUntil(TimePoint until) { tencent::CallRegistry::sleepUntil(until); }

}  // namespace taskledger::cli
