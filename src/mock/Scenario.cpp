#include "taskledger/mock/Scenario.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "taskledger/domain/Error.h"

namespace taskledger::mock {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Error bad(const std::string& origin, const std::string& what) {
  return Error::badInput(origin + ": " + what);
}

int statusValue(const Poco::Dynamic::Var& v, const std::string& where) {
  if (!v.isInteger()) throw Error::badInput(where + ": a status must be 0, 1 or 2");
  int s = v.convert<int>();
  if (s < 0 || s > 2) throw Error::badInput(where + ": a status must be 0, 1 or 2, not " + std::to_string(s));
  return s;
}

TaskScript parseScript(const Object& o, const std::string& where) {
  TaskScript t;
  if (o.has("region")) t.region = o.getValue<std::string>("region");
  if (o.has("message") && !o.isNull("message")) t.message = o.getValue<std::string>("message");
  if (o.has("expect")) t.expect = o.getValue<std::string>("expect");
  if (auto ids = o.getArray("load_balancer_ids")) {
    for (const auto& id : *ids) t.load_balancer_ids.push_back(id.convert<std::string>());
  }
  int forms = int(o.has("statuses")) + int(o.has("after_ms")) + int(o.has("error"));
  if (forms != 1) throw Error::badInput(where + ": give exactly one of \"statuses\", \"after_ms\" or \"error\"");
  if (auto seq = o.getArray("statuses")) {
    t.kind = TaskScript::Kind::Sequence;
    t.statuses.clear();
    for (const auto& s : *seq) t.statuses.push_back(statusValue(s, where));
    if (t.statuses.empty()) throw Error::badInput(where + ": \"statuses\" is empty");
  } else if (o.has("after_ms")) {
    t.kind = TaskScript::Kind::AfterDelay;
    long long ms = o.getValue<long long>("after_ms");
    if (ms < 0) throw Error::badInput(where + ": \"after_ms\" is negative");
    t.after = Millis(ms);
    if (!o.has("status")) throw Error::badInput(where + ": \"after_ms\" needs \"status\"");
    t.status = statusValue(o.get("status"), where);
  } else {
    t.kind = TaskScript::Kind::FixedError;
    t.error_code = o.getValue<std::string>("error");
    if (t.error_code.empty()) throw Error::badInput(where + ": \"error\" is empty");
  }
  return t;
}

// `task_id` first (when given) so that a file reads as a list of ids.
Object::Ptr scriptJson(const TaskScript& t, const std::string& task_id = "") {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  if (!task_id.empty()) o->set("task_id", task_id);
  if (!t.region.empty()) o->set("region", t.region);
  switch (t.kind) {
    case TaskScript::Kind::Sequence: {
      Array::Ptr a = new Array;
      for (int s : t.statuses) a->add(s);
      o->set("statuses", a);
      break;
    }
    case TaskScript::Kind::AfterDelay:
      o->set("status", t.status);
      o->set("after_ms", static_cast<Poco::Int64>(t.after.count()));
      break;
    case TaskScript::Kind::FixedError:
      o->set("error", t.error_code);
      break;
  }
  if (!t.message.empty()) o->set("message", t.message);
  if (!t.load_balancer_ids.empty()) {
    Array::Ptr a = new Array;
    for (const auto& id : t.load_balancer_ids) a->add(id);
    o->set("load_balancer_ids", a);
  }
  if (!t.expect.empty()) o->set("expect", t.expect);
  return o;
}

}  // namespace

int TaskScript::statusAt(std::uint64_t check_index, Millis elapsed) const {
  if (kind == Kind::AfterDelay) return elapsed >= after ? status : 2;
  if (statuses.empty()) return 2;
  return statuses[std::min<std::uint64_t>(check_index, statuses.size() - 1)];
}

Scenario Scenario::parse(const std::string& json_text, const std::string& origin) {
  Poco::Dynamic::Var root;
  try {
    root = Poco::JSON::Parser().parse(json_text);
  } catch (const Poco::Exception& e) {
    throw bad(origin, "not valid JSON (" + e.message() + ")");
  }
  Object::Ptr top = root.type() == typeid(Object::Ptr) ? root.extract<Object::Ptr>() : nullptr;
  if (!top) throw bad(origin, "the top level must be an object");
  Scenario sc;
  try {
    if (auto tasks = top->getArray("tasks")) {
      sc.tasks.reserve(tasks->size());
      for (std::size_t i = 0; i < tasks->size(); ++i) {
        std::string where = origin + ": tasks[" + std::to_string(i) + "]";
        Object::Ptr o = tasks->getObject(static_cast<unsigned>(i));
        if (!o) throw Error::badInput(where + ": not an object");
        if (!o->has("task_id")) throw Error::badInput(where + ": no \"task_id\"");
        std::string id = o->getValue<std::string>("task_id");
        if (!sc.tasks.emplace(id, parseScript(*o, where + " (" + id + ")")).second) {
          throw Error::badInput(where + ": task id " + id + " appears twice");
        }
      }
    } else if (top->has("tasks")) {
      throw bad(origin, "\"tasks\" must be an array");
    }
    if (auto d = top->getObject("default")) sc.default_task = parseScript(*d, origin + ": default");
    if (auto u = top->getArray("unknown_ids")) {
      for (const auto& id : *u) sc.unknown_ids.push_back(id.convert<std::string>());
    }
  } catch (const Poco::Exception& e) {
    throw bad(origin, "unexpected value (" + e.message() + ")");
  }
  return sc;
}

Scenario Scenario::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::badInput(path + ": cannot read the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::string Scenario::toJson() const {
  std::vector<const std::pair<const std::string, TaskScript>*> sorted;
  sorted.reserve(tasks.size());
  for (const auto& entry : tasks) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });

  // One task per line keeps large files readable and diffable.
  std::ostringstream out;
  out << "{\"tasks\": [";
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    Object::Ptr o = scriptJson(sorted[i]->second, sorted[i]->first);
    out << (i ? ",\n  " : "\n  ");
    o->stringify(out);
  }
  out << "\n]";
  if (default_task) {
    out << ",\n\"default\": ";
    scriptJson(*default_task)->stringify(out);
  }
  if (!unknown_ids.empty()) {
    Array a;
    for (const auto& id : unknown_ids) a.add(id);
    out << ",\n\"unknown_ids\": ";
    a.stringify(out);
  }
  out << "\n}\n";
  return out.str();
}

void Scenario::saveFile(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << toJson();
  if (!out.flush()) throw Error::runtime(path + ": cannot write the scenario file");
}

}  // namespace taskledger::mock
