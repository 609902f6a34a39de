#pragma once
// The scheduler's one way to the API: DescribeTaskStatus calls started by the scheduler's thread
// and carried out elsewhere (a bounded set of threads in the real client, virtual time in tests),
// their answers handed back to that thread by wait().
//
// The deciding thread keeps every clock: it aborts a call that outlives its total deadline, and
// every call when the run is stopped; an implementation only bounds each single network wait.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "taskledger/domain/CheckResult.h"
#include "taskledger/domain/Time.h"

namespace taskledger {

struct TaskQuery {
  std::string region;
  std::string request_id;  // sent as TaskId
};

// Where the rate limiter takes its slot: on the calling thread, at the last moment before a
// request is written (after any connect and TLS handshake). So the time between the scheduler's
// decision and the request leaving the process never bunches arrivals at the server.
class WriteGate {
 public:
  virtual ~WriteGate() = default;
  // Asked with the time now when only the write is left. A time after `now`: sleep until then
  // and ask again (the slot may move while the thread sleeps, late or not). `now` itself: write
  // at once; until written() the write counts as being made at every moment, so a thread
  // descheduled between here and the socket cannot crowd a window.
  virtual TimePoint admit(TimePoint now) = 0;
  // The write admitted last is done, or failed, at `now` (the latest it can have left).
  virtual void written(TimePoint now) = 0;
};

class TaskStatusApi {
 public:
  using CallId = std::uint64_t;

  struct Call {
    CallId id = 0;
    TaskQuery query;
    // The rate limiter's say over when the request is written. Unset: write at once.
    std::shared_ptr<WriteGate> gate;
  };
  struct Done {
    CallId id = 0;
    CheckResult result;
  };

  virtual ~TaskStatusApi() = default;
  // Starts a call; never blocks on the network. Never throws for API or network trouble: that is
  // an ApiError in the call's result.
  virtual void start(Call call) = 0;
  // The calls completed since the last wait(): at once when there are any; otherwise sleeps until
  // one completes, `deadline` passes, or wake() is called.
  virtual std::vector<Done> wait(TimePoint deadline) = 0;
  // Ends call `id` if it is still in flight, whatever it is waiting for: it completes soon after
  // with a "Timeout" error that says `why`. Not an error if it already completed.
  virtual void abort(CallId id, const std::string& why) = 0;
  // Ends a wait() early, or the next one if none is under way. The only member that may be
  // called from any thread (a signal watcher).
  virtual void wake() = 0;
};

}  // namespace taskledger
