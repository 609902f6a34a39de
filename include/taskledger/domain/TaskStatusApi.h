#pragma once
// The port through which the scheduler asks about one task. One instance per worker: an
// implementation may keep a connection open between calls and need not be thread-safe.
#include <memory>
#include <string>

#include "taskledger/domain/CheckResult.h"

namespace taskledger {

struct TaskQuery {
  std::string region;
  std::string request_id;  // sent as TaskId
};

class TaskStatusApi {
 public:
  virtual ~TaskStatusApi() = default;
  // Never throws for API or network trouble: that is an ApiError in the result.
  virtual CheckResult describeTaskStatus(const TaskQuery& query) = 0;
};

}  // namespace taskledger
