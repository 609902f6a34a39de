#include "taskledger/tencent/BoundedCall.h"

#include <chrono>

#include "taskledger/tencent/CallRegistry.h"

namespace taskledger::tencent {

BoundedCall::BoundedCall(Millis limit, std::string why) {
  CallRegistry::enroll(control_);
  // The steady clock: a wall-clock step must neither cut the call short nor stretch it.
  const auto deadline = std::chrono::steady_clock::now() + limit;
  timer_ = std::thread([this, deadline, why = std::move(why)] {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_until(lock, deadline, [&] { return done_; })) control_.abort(why);
  });
}

BoundedCall::~BoundedCall() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
  timer_.join();
  CallRegistry::withdraw(control_);
}

std::string deadlineMessage(Millis limit) {
  return "no complete answer within " + std::to_string(limit.count()) + " ms, connect to last byte";
}

}  // namespace taskledger::tencent
