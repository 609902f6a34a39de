#pragma once
// The per-answer log of MockServer.h ("The answer log"). Each line is flushed as it is written,
// so a reader sees every answer sent so far. Thread-safe; a no-op without a path.
#include <cstdio>
#include <mutex>
#include <string>

#include "taskledger/domain/Time.h"

namespace taskledger::mock {

class AnswerLog {
 public:
  explicit AnswerLog(const std::string& path);  // appends; throws taskledger::Error if it cannot
  ~AnswerLog();
  AnswerLog(const AnswerLog&) = delete;
  AnswerLog& operator=(const AnswerLog&) = delete;

  void write(TimePoint arrival, const std::string& request_id, const std::string& task_id,
             const std::string& outcome, const std::string& host);

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;  // protected by mutex_
};

}  // namespace taskledger::mock
