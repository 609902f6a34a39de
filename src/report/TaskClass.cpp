#include "taskledger/report/TaskClass.h"

#include "taskledger/domain/Error.h"

namespace taskledger::report {

std::string_view toString(TaskClass c) {
  switch (c) {
    case TaskClass::Succeeded: return "succeeded";
    case TaskClass::Failed: return "failed";
    case TaskClass::Stuck: return "stuck";
    case TaskClass::InProgress: return "in_progress";
    case TaskClass::Pending: return "pending";
    case TaskClass::Rejected: return "rejected";
    case TaskClass::Expired: return "expired";
  }
  return "pending";
}

std::string_view label(TaskClass c) { return c == TaskClass::InProgress ? "in progress" : toString(c); }

std::optional<TaskClass> parseTaskClass(std::string_view text) {
  for (TaskClass c : kAllClasses) {
    if (toString(c) == text) return c;
  }
  return std::nullopt;
}

TaskClass classify(TaskState state, TimePoint submitted_at, TimePoint now, Millis stuck_after) {
  switch (state) {
    case TaskState::Pending:
    case TaskState::InProgress:
      if (now - submitted_at > stuck_after) return TaskClass::Stuck;
      return state == TaskState::Pending ? TaskClass::Pending : TaskClass::InProgress;
    case TaskState::Succeeded: return TaskClass::Succeeded;
    case TaskState::Failed: return TaskClass::Failed;
    case TaskState::Rejected: return TaskClass::Rejected;
    case TaskState::Expired: return TaskClass::Expired;
  }
  return TaskClass::Pending;
}

std::vector<TaskClass> parseClassList(std::string_view text) {
  std::vector<TaskClass> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view word = text.substr(start, comma - start);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (!word.empty()) {
      auto c = parseTaskClass(word);
      if (!c) {
        throw Error::usage("'" + std::string(word) +
                           "' is not a class; use succeeded, failed, stuck, in_progress, pending, rejected or expired");
      }
      out.push_back(*c);
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace taskledger::report
