#pragma once
#include <optional>
#include <string_view>

namespace taskledger {

// The life of a task in the ledger. Pending and InProgress are unresolved (polled); the rest are
// final until an operator requeues them.
enum class TaskState { Pending, InProgress, Succeeded, Failed, Rejected, Expired };

inline constexpr TaskState kAllTaskStates[] = {TaskState::Pending,   TaskState::InProgress,
                                               TaskState::Succeeded, TaskState::Failed,
                                               TaskState::Rejected,  TaskState::Expired};

// "pending", "in_progress", "succeeded", "failed", "rejected", "expired": the database's words.
std::string_view toString(TaskState s);
std::optional<TaskState> parseTaskState(std::string_view text);
inline bool isUnresolved(TaskState s) { return s == TaskState::Pending || s == TaskState::InProgress; }

}  // namespace taskledger
