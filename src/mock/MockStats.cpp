#include "taskledger/mock/MockStats.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "taskledger/domain/Error.h"

namespace taskledger::mock {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string MockStats::toJson() const {
  Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("requests", static_cast<Poco::UInt64>(requests));
  root.set("connections", static_cast<Poco::UInt64>(connections));
  Object::Ptr out = new Object;
  for (const auto& [name, n] : outcomes) out->set(name, static_cast<Poco::UInt64>(n));
  root.set("outcomes", out);
  root.set("signature_failures", static_cast<Poco::UInt64>(signature_failures));
  root.set("rate_limited", static_cast<Poco::UInt64>(rate_limited));
  root.set("max_arrivals_1s", max_arrivals_1s);
  root.set("max_arrivals_1s_per_key", maxArrivalsPerKey());
  Array::Ptr keys = new Array;
  for (const auto& k : by_key) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("secret_id", k.secret_id);
    o->set("host", k.host);
    o->set("requests", static_cast<Poco::UInt64>(k.requests));
    o->set("rate_limited", static_cast<Poco::UInt64>(k.rate_limited));
    o->set("max_arrivals_1s", k.max_arrivals_1s);
    o->set("max_accepted_1s", k.max_accepted_1s);
    keys->add(o);
  }
  root.set("by_key", keys);
  std::ostringstream text;
  root.stringify(text);
  return text.str();
}

MockStats MockStats::fromJson(const std::string& text) {
  MockStats s;
  try {
    auto root = Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
    s.requests = root->getValue<Poco::UInt64>("requests");
    s.connections = root->getValue<Poco::UInt64>("connections");
    if (auto out = root->getObject("outcomes")) {
      for (const auto& [name, n] : *out) s.outcomes[name] = n.convert<Poco::UInt64>();
    }
    s.signature_failures = root->getValue<Poco::UInt64>("signature_failures");
    s.rate_limited = root->getValue<Poco::UInt64>("rate_limited");
    s.max_arrivals_1s = root->getValue<int>("max_arrivals_1s");
    if (auto keys = root->getArray("by_key")) {
      for (std::size_t i = 0; i < keys->size(); ++i) {
        auto o = keys->getObject(static_cast<unsigned>(i));
        KeyStats k;
        k.secret_id = o->getValue<std::string>("secret_id");
        k.host = o->getValue<std::string>("host");
        k.requests = o->getValue<Poco::UInt64>("requests");
        k.rate_limited = o->getValue<Poco::UInt64>("rate_limited");
        k.max_arrivals_1s = o->getValue<int>("max_arrivals_1s");
        k.max_accepted_1s = o->getValue<int>("max_accepted_1s");
        s.by_key.push_back(std::move(k));
      }
    }
  } catch (const Poco::Exception& e) {
    throw Error::badInput("mock stats: not the expected JSON (" + e.message() + ")");
  }
  return s;
}

int MockStats::maxArrivalsPerKey() const {
  int m = 0;
  for (const auto& k : by_key) m = std::max(m, k.max_arrivals_1s);
  return m;
}

}  // namespace taskledger::mock
