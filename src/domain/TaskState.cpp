#include "taskledger/domain/TaskState.h"

namespace taskledger {

std::string_view toString(TaskState s) {
  switch (s) {
    case TaskState::Pending: return "pending";
    case TaskState::InProgress: return "in_progress";
    case TaskState::Succeeded: return "succeeded";
    case TaskState::Failed: return "failed";
    case TaskState::Rejected: return "rejected";
    case TaskState::Expired: return "expired";
  }
  return "pending";
}

std::optional<TaskState> parseTaskState(std::string_view text) {
  for (TaskState s : kAllTaskStates) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace taskledger
