#include "taskledger/import/TccliAnswer.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <vector>

#include "Printable.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/JsonText.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::import {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// An answer is three levels deep at most (Response, an id array); the bound also keeps a hostile
// nest of brackets from costing stack when Poco frees it.
constexpr std::size_t kMaxDepth = 16;
// As for the importer's resource column.
constexpr std::size_t kMaxResource = 1024;
// An error answer's code and message, as printed.
constexpr std::size_t kMaxErrorText = 300;
constexpr const char* kNotAnObject = "not a JSON object (an answer looks like {\"RequestId\": \"...\"})";

// Poco keeps the last of two equal keys without a word. Two RequestIds are two answers, so the
// parse notes a key given twice in one object (the caller refuses it). Keeps the answer's key
// order, which decides the "first ...Ids value".
class UniqueKeyHandler : public Poco::JSON::ParseHandler {
 public:
  UniqueKeyHandler() : ParseHandler(/*preserveObjectOrder=*/true) {}
  void reset() override {
    ParseHandler::reset();
    keys_.clear();
    duplicate_.clear();
  }
  void startObject() override {
    ParseHandler::startObject();
    keys_.emplace_back();
  }
  void endObject() override {
    ParseHandler::endObject();
    keys_.pop_back();
  }
  void key(const std::string& k) override {
    if (!keys_.back().insert(k).second && duplicate_.empty()) duplicate_ = k;
    ParseHandler::key(k);
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<std::set<std::string>> keys_;  // per open object
  std::string duplicate_;
};

Object::Ptr parseObject(std::string_view json, const std::string& where) {
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (json.substr(0, kBom.size()) == kBom) json.remove_prefix(kBom.size());
  const std::size_t first = json.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    throw Error::badInput(where + ": no answer (empty input; a failed tccli call prints its error on stderr)");
  }
  // Poco's parser fails on a lone scalar with a message about its own stack.
  if (json[first] != '{' && json[first] != '[') throw Error::badInput(where + ": " + kNotAnObject);
  Poco::SharedPtr<UniqueKeyHandler> handler = new UniqueKeyHandler;
  Poco::JSON::Parser parser(handler);
  parser.setDepth(kMaxDepth);
  Var root;
  try {
    root = parser.parse(repairJsonText(json));
  } catch (const Poco::Exception& e) {
    throw Error::badInput(where + ": not one JSON answer: " + printable(e.message(), kMaxErrorText));
  }
  if (root.type() != typeid(Object::Ptr)) {
    throw Error::badInput(where + ": " + kNotAnObject);
  }
  if (!handler->duplicate().empty()) {
    throw Error::badInput(where + ": the key " + quoted(handler->duplicate()) + " appears twice in one object");
  }
  return root.extract<Object::Ptr>();
}

// The object that holds RequestId: the envelope's Response, or the answer itself (tccli).
Object::Ptr answerBody(const Object::Ptr& top, const std::string& where) {
  if (!top->has("Response")) return top;
  Object::Ptr response = top->getObject("Response");
  if (!response) throw Error::badInput(where + ": Response is not an object");
  if (top->has("RequestId")) {
    throw Error::badInput(where + ": several ids: a RequestId both outside and inside Response");
  }
  return response;
}

void refuseErrorAnswer(const Object& body, const std::string& where) {
  if (!body.has("Error")) return;
  std::string what = "the call failed";
  if (Object::Ptr error = body.getObject("Error")) {
    const Var code = error->get("Code");
    const Var message = error->get("Message");
    if (code.isString()) what += ": " + code.extract<std::string>();
    if (message.isString()) what += ": " + message.extract<std::string>();
  }
  throw Error::badInput(where + ": " + printable(what, kMaxErrorText) + "; no task to record");
}

std::string requestId(const Object& body, const std::string& where) {
  if (!body.has("RequestId")) throw Error::badInput(where + ": the answer has no RequestId");
  const Var v = body.get("RequestId");
  if (!v.isString()) throw Error::badInput(where + ": RequestId is not a string");
  const std::string text = v.extract<std::string>();
  auto id = normalizeRequestId(text);
  if (!id) throw Error::badInput(where + ": RequestId " + quoted(text) + " is not a UUID (an API 3.0 request id)");
  return *id;
}

// The first string of an ...Ids array, or "" when it holds none.
std::string firstString(const Var& v) {
  if (v.type() != typeid(Poco::JSON::Array::Ptr)) return "";
  auto array = v.extract<Poco::JSON::Array::Ptr>();
  if (!array || array->size() == 0) return "";
  const Var first = array->get(0);
  return first.isString() ? first.extract<std::string>() : "";
}

constexpr std::size_t kMaxDealName = 128;

bool endsWithIds(const std::string& key) {
  return key.size() > 3 && key.compare(key.size() - 3, 3, "Ids") == 0;
}

std::string resourceOf(const Object& body, const std::string& where) {
  std::string found;
  const Var lb = body.get("LoadBalancerId");
  if (lb.isString()) found = lb.extract<std::string>();
  if (found.empty()) found = firstString(body.get("LoadBalancerIds"));
  for (const std::string& key : body.getNames()) {  // in the answer's order (Poco's begin() sorts)
    if (found.empty() && endsWithIds(key)) found = firstString(body.get(key));
  }
  if (found.size() > kMaxResource || !isValidUtf8(found)) {
    throw Error::badInput(where + ": the resource id " + quoted(found) + " is too long or not UTF-8");
  }
  return found;
}

}  // namespace

TccliAnswer parseTccliAnswer(std::string_view json, const std::string& where) {
  const Object::Ptr body = answerBody(parseObject(json, where), where);
  refuseErrorAnswer(*body, where);
  TccliAnswer answer;
  answer.request_id = requestId(*body, where);
  answer.resource = resourceOf(*body, where);
  if (const Var deal = body->get("DealName"); deal.isString()) {
    answer.deal_name = deal.extract<std::string>();
    // An order id is a few dozen digits; anything else is not one to keep.
    if (answer.deal_name.size() > kMaxDealName || !isValidUtf8(answer.deal_name)) {
      throw Error::badInput(where + ": the DealName " + quoted(answer.deal_name.substr(0, 64)) + " is too long or not UTF-8");
    }
  }
  return answer;
}

std::optional<std::string> tccliConfiguredRegion(std::string_view configure_json) {
  try {
    const Var root = Poco::JSON::Parser().parse(std::string(configure_json));
    if (root.type() != typeid(Object::Ptr)) return std::nullopt;
    const auto sys = root.extract<Object::Ptr>()->getObject("_sys_param");
    if (!sys) return std::nullopt;
    const Var region = sys->get("region");
    if (!region.isString() || region.extract<std::string>().empty()) return std::nullopt;
    return region.extract<std::string>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

TccliAnswer readTccliAnswer(std::istream& in, const std::string& where) {
  std::string text(kMaxTccliAnswerBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw Error::runtime(where + ": read error");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxTccliAnswerBytes) {
    throw Error::badInput(where + ": more than " + std::to_string(kMaxTccliAnswerBytes >> 20) +
                          " MiB; a call's answer is a few hundred bytes");
  }
  return parseTccliAnswer(text, where);
}

}  // namespace taskledger::import
