#include "taskledger/tencent/ResponseParser.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <regex>

#include "taskledger/domain/JsonText.h"
#include "taskledger/tencent/ErrorClassifier.h"

namespace taskledger::tencent {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;
using Result = std::variant<StatusAnswer, ApiError>;

// Enough of an unexpected body to recognise it in a log, never the whole of it.
constexpr std::size_t kBodyExcerpt = 120;

ApiError badResponse(const std::string& why, const std::string& request_id = "") {
  return makeApiError(kCodeBadResponse, "unexpected answer: " + why, request_id);
}

// A string field that may be null or absent; nullopt when present with another type.
std::optional<std::string> optionalString(const Object& o, const std::string& key) {
  if (!o.has(key) || o.isNull(key)) return std::string();
  const Var v = o.get(key);
  if (!v.isString()) return std::nullopt;
  return v.extract<std::string>();
}

// Poco's JSON parser wraps integers past 2^64 (18446744073709551617 reads as 1), so a Status is
// also checked as it is written: every "Status" key's number must be a single digit.
bool statusLiteralsAreSmall(const std::string& body) {
  static const std::regex kStatus(R"re("Status"\s*:\s*-?([0-9]+))re");
  for (std::sregex_iterator it(body.begin(), body.end(), kStatus), end; it != end; ++it) {
    if ((*it)[1].length() > 1) return false;
  }
  return true;
}

// A Status the API does not document: the task is kept in progress and the raw answer, as much
// of it as a message holds, goes into its check.
ApiError unknownStatus(const std::string& request_id, const std::string& body) {
  return makeApiError(kCodeUnknownStatus, "Status outside 0..2, kept in progress: " + body, request_id);
}

Result parseStatus(const Object& response, const std::string& request_id, const std::string& body) {
  const Var status = response.get("Status");
  if (!statusLiteralsAreSmall(body)) return unknownStatus(request_id, body);
  // Booleans and floats convert to integers in Poco; only a JSON integer is a status.
  if (status.isEmpty() || !status.isInteger() || status.isBoolean()) {
    return badResponse("Status missing or not an integer", request_id);
  }
  // Compared in the type it was read as: a conversion could throw (2^63) or wrap.
  const bool in_range = status.isSigned() ? status.convert<Poco::Int64>() >= 0 && status.convert<Poco::Int64>() <= 2
                                          : status.convert<Poco::UInt64>() <= 2;
  if (!in_range) return unknownStatus(request_id, body);
  const int value = status.convert<int>();

  StatusAnswer a;
  a.status = static_cast<int>(value);
  a.api_request_id = request_id;
  const auto message = optionalString(response, "Message");
  if (!message) return badResponse("Message is not a string", request_id);
  a.message = *message;
  if (response.has("LoadBalancerIds") && !response.isNull("LoadBalancerIds")) {
    const auto ids = response.getArray("LoadBalancerIds");
    if (!ids) return badResponse("LoadBalancerIds is not an array", request_id);
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const Var id = ids->get(static_cast<unsigned>(i));
      if (!id.isString()) return badResponse("LoadBalancerIds holds a non-string", request_id);
      a.load_balancer_ids.push_back(id.extract<std::string>());
    }
  }
  return a;
}

Result parseError(const Object& response, const std::string& request_id) {
  const auto error = response.getObject("Error");
  if (!error) return badResponse("Error is not an object", request_id);
  const auto code = optionalString(*error, "Code");
  if (!code || code->empty()) return badResponse("Error without a Code", request_id);
  const auto message = optionalString(*error, "Message");
  return makeApiError(*code, message.value_or(""), request_id);
}

std::string excerpt(const std::string& body) {
  return body.size() <= kBodyExcerpt ? body : body.substr(0, kBodyExcerpt) + "...";
}

}  // namespace

Result parseResponse(int http_status, const std::string& body) {
  if (http_status != 200) {
    return makeApiError(kHttpStatusPrefix + std::to_string(http_status),
                        "HTTP status " + std::to_string(http_status) + ": " + excerpt(body));
  }
  Var root;
  try {
    root = Poco::JSON::Parser().parse(repairJsonText(body));
  } catch (const Poco::Exception&) {
    return badResponse("not JSON: " + excerpt(body));
  }
  const auto top = root.type() == typeid(Object::Ptr) ? root.extract<Object::Ptr>() : Object::Ptr();
  if (!top) return badResponse("not a JSON object: " + excerpt(body));
  const auto response = top->getObject("Response");
  if (!response) return badResponse("no Response object: " + excerpt(body));

  const auto request_id = optionalString(*response, "RequestId");
  if (!request_id || request_id->empty()) return badResponse("no RequestId: " + excerpt(body));
  if (response->has("Error")) return parseError(*response, *request_id);
  return parseStatus(*response, *request_id, body);
}

std::string clockDifference(const std::string& http_date, TimePoint signed_at) {
  Poco::DateTime server;
  int tz = 0;
  if (http_date.empty() || !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, http_date, server, tz)) {
    return "the local clock is off by more than 5 minutes (the server sent no readable Date)";
  }
  const std::int64_t server_s = server.timestamp().epochTime() - tz;
  const std::int64_t diff = toUnixSeconds(signed_at) - server_s;
  const std::string amount = std::to_string(diff < 0 ? -diff : diff) + " s";
  return "the local clock is " + amount + (diff < 0 ? " behind" : " ahead of") + " the server's Date (" + http_date + ")";
}

}  // namespace taskledger::tencent
