#include "ProfileProgress.h"

namespace taskledger::scheduler {

std::unique_lock<std::mutex> ProfileProgress::speak() {
  std::unique_lock<std::mutex> lock(mutex_);
  inner_.profileStarting(profile_, count_);
  return lock;
}

void ProfileProgress::started(std::int64_t due, std::int64_t unresolved, std::size_t hosts, std::size_t concurrency) {
  auto lock = speak();
  inner_.started(due, unresolved, hosts, concurrency);
}

void ProfileProgress::progress(const ProgressSnapshot& snapshot) {
  auto lock = speak();
  inner_.progress(snapshot);
}

void ProfileProgress::problem(const std::string& line) {
  auto lock = speak();
  inner_.problem(line);
}

void ProfileProgress::answered(const std::string& host, const std::string& request_id, const std::string& outcome,
                               long long latency_ms) {
  auto lock = speak();
  inner_.answered(host, request_id, outcome, latency_ms);
}

void ProfileProgress::profileStarting(const std::string&, std::size_t) {}  // said before every line

}  // namespace taskledger::scheduler
