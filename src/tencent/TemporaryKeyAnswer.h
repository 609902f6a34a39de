#pragma once
// What STS and the metadata service have in common: a small answer read with a bound, and the
// temporary keys in it (TmpSecretId, TmpSecretKey, Token, ExpiredTime in Unix seconds).
#include <Poco/JSON/Object.h>

#include <istream>
#include <optional>
#include <string>

#include "taskledger/tencent/RefreshingCredentialProvider.h"

namespace taskledger::tencent {

// Either answer is well under a kilobyte; anything near this is not the service.
constexpr std::size_t kMaxKeyAnswer = 64 * 1024;

// At most kMaxKeyAnswer bytes of `in`.
std::string readKeyAnswer(std::istream& in);

// The keys of `keys` and the expiry of `expiry` (the same object for the metadata service);
// nullopt when a field is missing or of the wrong type. Never quotes the answer.
std::optional<TemporaryCredentials> temporaryKeysOf(const Poco::JSON::Object& keys, const Poco::JSON::Object& expiry);

// The JSON object in `text`; null when it is not one. Library messages, which could quote the
// secret, are dropped.
Poco::JSON::Object::Ptr parseKeyAnswer(const std::string& text);

}  // namespace taskledger::tencent
