#include "taskledger/mock/FaultPlan.h"

#include <cstdlib>
#include <sstream>

#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Error.h"
#include "Random.h"

namespace taskledger::mock {

const char* faultName(Fault f) {
  switch (f) {
    case Fault::None: return "none";
    case Fault::Http500: return "http500";
    case Fault::InternalError: return "internal";
    case Fault::Drop: return "drop";
    case Fault::Slow: return "slow";
    case Fault::Truncated: return "truncated";
    case Fault::RateLimitBurst: return "ratelimit-burst";
  }
  return "none";
}

bool FaultPlan::any() const {
  return http500 + internal + drop + slow + truncated + ratelimit_burst > 0;
}

Fault FaultPlan::pick(std::uint64_t seed, const std::string& task_id, std::uint64_t k) const {
  if (!any()) return Fault::None;
  double u = unitInterval(mix64(seed, fnv1a(task_id), k));
  const std::pair<double, Fault> table[] = {
      {http500, Fault::Http500}, {internal, Fault::InternalError}, {drop, Fault::Drop},
      {slow, Fault::Slow},       {truncated, Fault::Truncated},    {ratelimit_burst, Fault::RateLimitBurst}};
  for (const auto& [p, fault] : table) {
    if (u < p) return fault;
    u -= p;
  }
  return Fault::None;
}

FaultPlan FaultPlan::parse(const std::string& text) {
  FaultPlan plan;
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string::npos) throw Error::usage("--faults: \"" + item + "\" is not NAME=VALUE");
    std::string name = item.substr(0, eq), value = item.substr(eq + 1);
    if (name == "slow-for" || name == "burst-for") {
      auto d = parseDuration(value);
      if (!d) throw Error::usage("--faults: " + name + " needs a duration such as 15s, not \"" + value + "\"");
      (name == "slow-for" ? plan.slow_for : plan.burst_for) = *d;
      continue;
    }
    char* end = nullptr;
    double p = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || p < 0 || p > 1) {
      throw Error::usage("--faults: " + name + " needs a probability between 0 and 1, not \"" + value + "\"");
    }
    if (name == "http500") plan.http500 = p;
    else if (name == "internal") plan.internal = p;
    else if (name == "drop") plan.drop = p;
    else if (name == "slow") plan.slow = p;
    else if (name == "truncated") plan.truncated = p;
    else if (name == "ratelimit-burst") plan.ratelimit_burst = p;
    else {
      throw Error::usage("--faults: unknown fault \"" + name +
                         "\" (known: http500, internal, drop, slow, truncated, ratelimit-burst, "
                         "slow-for, burst-for)");
    }
  }
  double sum = plan.http500 + plan.internal + plan.drop + plan.slow + plan.truncated + plan.ratelimit_burst;
  if (sum > 1.0 + 1e-9) throw Error::usage("--faults: the probabilities add up to more than 1");
  return plan;
}

}  // namespace taskledger::mock
