#pragma once
// One outbound call's total deadline, from connect to last byte. Poco's socket timeouts bound
// each single wait, so a server that sends a byte a second would never time out without it: the
// call's CallControl is aborted when the limit has passed (as the scheduler aborts a CLB call
// that outlives --timeout), and when a stop signal comes (it is enrolled in CallRegistry).
//
//   BoundedCall bounded(timeout, deadlineMessage(timeout));
//   caller.call(request, keys, &bounded.control());
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "taskledger/domain/Time.h"
#include "taskledger/tencent/ApiCaller.h"

namespace taskledger::tencent {

class BoundedCall {
 public:
  // `why`: the abort's message when the limit passes.
  BoundedCall(Millis limit, std::string why);
  ~BoundedCall();
  BoundedCall(const BoundedCall&) = delete;
  BoundedCall& operator=(const BoundedCall&) = delete;

  CallControl& control() { return control_; }

 private:
  CallControl control_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;  // protected by mutex_
  std::thread timer_;
};

// "no complete answer within 2000 ms": the one wording of a total deadline's abort.
std::string deadlineMessage(Millis limit);

}  // namespace taskledger::tencent
