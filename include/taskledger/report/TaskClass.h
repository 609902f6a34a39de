#pragma once
// The report's classes: a task's state, except that an unresolved task waiting longer than
// --stuck-after is "stuck" instead. Every task is in exactly one class.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskledger/domain/TaskState.h"
#include "taskledger/domain/Time.h"

namespace taskledger::report {

enum class TaskClass { Succeeded, Failed, Stuck, InProgress, Pending, Rejected, Expired };

// In the order of DESIGN.md's "totals" (after "total").
inline constexpr TaskClass kAllClasses[] = {TaskClass::Succeeded, TaskClass::Failed,  TaskClass::Stuck,
                                            TaskClass::InProgress, TaskClass::Pending, TaskClass::Rejected,
                                            TaskClass::Expired};
inline constexpr std::size_t kClassCount = std::size(kAllClasses);

// "succeeded", "failed", "stuck", "in_progress", "pending", "rejected", "expired".
std::string_view toString(TaskClass c);
// "in progress" and so on: the words people read.
std::string_view label(TaskClass c);
std::optional<TaskClass> parseTaskClass(std::string_view text);

// A task is stuck when it is pending or in progress and strictly older than `stuck_after` at
// `now` (a task exactly stuck_after old is not stuck yet). Otherwise its class is its state.
TaskClass classify(TaskState state, TimePoint submitted_at, TimePoint now, Millis stuck_after);

// The one --stuck-after: `run`'s summary and `report` both take it under this flag (and INI key)
// with this default, so the two never count "stuck" differently for the same ledger.
inline constexpr const char* kStuckAfterKey = "stuck-after";
inline constexpr Millis kDefaultStuckAfter{30 * 60'000};

// "failed,stuck,rejected" -> those classes. Throws taskledger::Error (usage) naming the bad word.
std::vector<TaskClass> parseClassList(std::string_view text);

}  // namespace taskledger::report
