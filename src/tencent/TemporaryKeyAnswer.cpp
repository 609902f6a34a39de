#include "TemporaryKeyAnswer.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "taskledger/domain/JsonText.h"

namespace taskledger::tencent {

std::string readKeyAnswer(std::istream& in) {
  std::string answer;
  char buf[4096];
  while (in && answer.size() < kMaxKeyAnswer) {
    in.read(buf, sizeof buf);
    answer.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  return answer;
}

std::optional<TemporaryCredentials> temporaryKeysOf(const Poco::JSON::Object& keys, const Poco::JSON::Object& expiry) {
  try {
    TemporaryCredentials out;
    out.credentials.secret_id = keys.getValue<std::string>("TmpSecretId");
    out.credentials.secret_key = keys.getValue<std::string>("TmpSecretKey");
    out.credentials.token = keys.getValue<std::string>("Token");
    out.expires_at = fromUnixSeconds(expiry.getValue<std::int64_t>("ExpiredTime"));
    return out;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

Poco::JSON::Object::Ptr parseKeyAnswer(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(repairJsonText(text)).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return nullptr;
}

}  // namespace taskledger::tencent
