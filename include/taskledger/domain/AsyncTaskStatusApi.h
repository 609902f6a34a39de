#pragma once
// The port through which one thread asks about many tasks at once: calls are started, and their
// results collected by one wait over all of them. A thread per call would be woken once to send
// and once for the answer, and the scheduler once more to hear of it; on a virtual machine each
// wake-up of an idle CPU costs more than the whole check.
#include <cstdint>
#include <string>
#include <vector>

#include "taskledger/domain/CheckResult.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/domain/Time.h"

namespace taskledger {

class AsyncTaskStatusApi {
 public:
  using CallId = std::uint64_t;
  struct Done {
    CallId id = 0;
    CheckResult result;
  };

  virtual ~AsyncTaskStatusApi() = default;
  // Starts a call. Whatever can be done at once is (on an open connection, the request is
  // written before this returns); the rest happens in wait(). Never throws for API or network
  // trouble: that is an ApiError in the call's result.
  virtual void start(CallId id, const TaskQuery& query) = 0;
  // Carries the calls forward and returns those that completed: as soon as there is at least one
  // when `until_first`, otherwise at `deadline`; and at once after wake().
  virtual std::vector<Done> wait(TimePoint deadline, bool until_first) = 0;
  // Ends a wait() early. The only member that may be called from another thread.
  virtual void wake() = 0;
  // Whether an open connection to `host` (the Host header sent) is free, so that a call to it
  // costs no TCP and TLS handshake.
  virtual bool connectedTo(const std::string& host) const = 0;
};

}  // namespace taskledger
