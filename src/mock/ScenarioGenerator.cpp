#include "taskledger/mock/ScenarioGenerator.h"

#include <cstdlib>
#include <random>
#include <sstream>

#include "Random.h"
#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

// Kind -> the state taskledger should end in after one run. "error" answers FailedOperation,
// which a run asks once and leaves due for later runs (rejected only after 5 such answers,
// minutes apart): after one run the task is still pending.
const std::map<std::string, std::string> kKinds = {
    {"succeed", "succeeded"},     {"fail", "failed"},         {"progress-then-succeed", "succeeded"},
    {"stuck", "in_progress"},     {"unknown", "rejected"},    {"error", "pending"},
};

const char* const kOperations[] = {"CreateLoadBalancer", "DeleteLoadBalancer", "CreateListener",
                                   "RegisterTargets",    "DeregisterTargets",  "ModifyRule"};
const char* const kFailures[] = {"The listener port is already in use.",
                                 "Insufficient balance: the load balancer could not be created.",
                                 "The backend instance is not in the VPC of the load balancer."};

std::string resourceId(std::uint64_t bits) {
  static const char* kChars = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id = "lb-";
  for (int i = 0; i < 8; ++i, bits /= 36) id.push_back(kChars[bits % 36]);
  return id;
}

TaskScript scriptFor(const GeneratedTask& t, const GeneratorOptions& o, std::uint64_t bits) {
  TaskScript s;
  s.region = t.region;
  s.expect = t.expect;
  std::vector<int> waiting(static_cast<std::size_t>(o.checks_each - 1), 2);
  if (t.kind == "succeed") {
    s.statuses = waiting;
    s.statuses.push_back(0);
    s.load_balancer_ids = {t.resource};
  } else if (t.kind == "fail") {
    s.statuses = waiting;
    s.statuses.push_back(1);
    s.message = kFailures[bits % std::size(kFailures)];
  } else if (t.kind == "progress-then-succeed") {
    s.kind = TaskScript::Kind::AfterDelay;
    s.status = 0;
    s.after = o.progress_for;
    s.load_balancer_ids = {t.resource};
  } else if (t.kind == "stuck") {
    s.statuses = {2};
  } else {  // error
    s.kind = TaskScript::Kind::FixedError;
    s.error_code = "FailedOperation";
    s.message = "The task was not found in the asynchronous task system.";
  }
  return s;
}

}  // namespace

std::map<std::string, double> parseMix(const std::string& text) {
  std::map<std::string, double> mix;
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    auto eq = item.find('=');
    std::string name = item.substr(0, eq);
    if (eq == std::string::npos || !kKinds.count(name)) {
      throw Error::usage("--mix: \"" + item +
                         "\" is not KIND=WEIGHT with KIND one of succeed, fail, progress-then-succeed, stuck, "
                         "unknown, error");
    }
    char* end = nullptr;
    std::string value = item.substr(eq + 1);
    double w = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || w < 0) throw Error::usage("--mix: bad weight \"" + value + "\" for " + name);
    mix[name] = w;
  }
  return mix;
}

Generated generateScenario(const GeneratorOptions& o) {
  double total = 0;
  for (const auto& [kind, w] : o.mix) {
    if (!kKinds.count(kind)) throw Error::usage("--mix: unknown kind \"" + kind + "\"");
    if (w < 0) throw Error::usage("--mix: negative weight for " + kind);
    total += w;
  }
  if (total <= 0) throw Error::usage("--mix: no kind has a positive weight");
  if (o.tasks < 0) throw Error::usage("--tasks must not be negative");
  if (o.checks_each < 1) throw Error::usage("--checks-each must be at least 1");
  if (o.regions.empty()) throw Error::usage("--regions must name at least one region");
  if (o.spread.count() < 1) throw Error::usage("--spread must be positive");

  std::mt19937_64 rng(o.seed);  // mt19937_64's sequence is fixed by the standard
  Generated g;
  g.tasks.reserve(static_cast<std::size_t>(o.tasks));
  g.scenario.tasks.reserve(static_cast<std::size_t>(o.tasks));
  for (int i = 0; i < o.tasks; ++i) {
    GeneratedTask t;
    t.region = o.regions[static_cast<std::size_t>(i) % o.regions.size()];
    double u = unitInterval(rng()) * total;
    for (const auto& [kind, w] : o.mix) {
      if (w <= 0) continue;
      t.kind = kind;  // the last positive kind also catches rounding at the top end
      if (u < w) break;
      u -= w;
    }
    t.expect = kKinds.at(t.kind);
    std::uint64_t hi = rng(), lo = rng();
    t.request_id = uuidFrom(hi, lo);
    t.operation = kOperations[rng() % std::size(kOperations)];
    t.resource = resourceId(rng());
    t.submitted_at = o.now - Millis(static_cast<long long>(rng() % static_cast<std::uint64_t>(o.spread.count())));
    std::uint64_t bits = rng();
    if (t.kind == "unknown") {
      g.scenario.unknown_ids.push_back(t.request_id);
    } else {
      g.scenario.tasks.emplace(t.request_id, scriptFor(t, o, bits));
    }
    g.tasks.push_back(std::move(t));
  }
  return g;
}

std::string Generated::csv() const {
  std::string out = "request_id,region,operation,resource,submitted_at\n";
  out.reserve(out.size() + tasks.size() * 120);
  for (const auto& t : tasks) {
    out += t.request_id + "," + t.region + "," + t.operation + "," + t.resource + "," +
           formatIsoUtc(t.submitted_at) + "\n";
  }
  return out;
}

}  // namespace taskledger::mock
