#include "AnswerLog.h"

#include <cerrno>
#include <cstring>

#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

// Tabs and newlines would break the line format; ids and hosts never legitimately hold them.
std::string field(const std::string& s) {
  if (s.empty()) return "-";
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

AnswerLog::AnswerLog(const std::string& path) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw Error::runtime(path + ": cannot open the answer log (" + std::strerror(errno) + ")");
}

AnswerLog::~AnswerLog() {
  if (file_) std::fclose(file_);
}

void AnswerLog::write(TimePoint arrival, const std::string& request_id, const std::string& task_id,
                      const std::string& outcome, const std::string& host) {
  if (!file_) return;
  std::string line = formatIsoUtc(arrival) + "\t" + field(request_id) + "\t" + field(task_id) + "\t" +
                     field(outcome) + "\t" + field(host) + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace taskledger::mock
