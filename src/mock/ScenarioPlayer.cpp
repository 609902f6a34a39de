#include "ScenarioPlayer.h"

namespace taskledger::mock {

const TaskScript* ScenarioPlayer::scriptFor(const std::string& task_id) const {
  auto it = scenario_.tasks.find(task_id);
  if (it != scenario_.tasks.end()) return &it->second;
  return scenario_.default_task ? &*scenario_.default_task : nullptr;
}

std::uint64_t ScenarioPlayer::nextRequestIndex(const std::string& task_id) {
  std::lock_guard lock(mutex_);
  return progress_[task_id].requests++;
}

Play ScenarioPlayer::play(const std::string& task_id, const std::string& region, bool consume,
                          std::chrono::steady_clock::time_point now) {
  Play p;
  const TaskScript* script = scriptFor(task_id);
  // The real service looks a task up in the region asked; another region's task is not found.
  if (!script || (!region.empty() && !script->region.empty() && region != script->region)) {
    p.error_code = "InvalidParameter";
    p.error_message = "The TaskId " + task_id + " was not found" +
                      (region.empty() ? std::string(".") : " in region " + region + ".");
    return p;
  }
  if (script->kind == TaskScript::Kind::FixedError) {
    p.error_code = script->error_code;
    p.error_message = script->message.empty() ? "The task cannot be described." : script->message;
    return p;
  }
  std::lock_guard lock(mutex_);
  Progress& progress = progress_[task_id];
  if (!progress.seen) {
    progress.seen = true;
    progress.first_seen = now;
  }
  auto elapsed = std::chrono::duration_cast<Millis>(now - progress.first_seen);
  p.kind = Play::Kind::Status;
  p.script = script;
  p.status = script->statusAt(progress.consumed, elapsed);
  if (consume) ++progress.consumed;
  return p;
}

}  // namespace taskledger::mock
