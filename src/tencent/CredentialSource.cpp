#include "taskledger/tencent/CredentialSource.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEnvSecretId = "TENCENTCLOUD_SECRET_ID";
constexpr const char* kEnvSecretKey = "TENCENTCLOUD_SECRET_KEY";
constexpr const char* kEnvToken = "TENCENTCLOUD_TOKEN";
constexpr const char* kEnvSecurityToken = "TENCENTCLOUD_SECURITY_TOKEN";
constexpr const char* kEnvProfile = "TCCLI_PROFILE";
constexpr const char* kDefaultProfile = "default";

std::optional<std::string> env(const CredentialLookup& lookup, const std::string& name) {
  if (!lookup.getenv) return std::nullopt;
  auto value = lookup.getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// The profile becomes part of a file name: no path separators, no hidden-file tricks.
bool isSafeProfileName(const std::string& p) {
  if (p.empty() || p.front() == '.' || p.size() > 128) return false;
  for (char c : p) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string chooseProfile(const CredentialLookup& lookup) {
  if (lookup.profile) {
    if (!isSafeProfileName(*lookup.profile)) {
      throw Error::usage("--profile '" + *lookup.profile + "': use letters, digits, '_', '-' and '.' only");
    }
    return *lookup.profile;
  }
  if (auto p = env(lookup, kEnvProfile)) {
    if (!isSafeProfileName(*p)) {
      throw Error::usage(std::string(kEnvProfile) + " '" + *p + "': use letters, digits, '_', '-' and '.' only");
    }
    return *p;
  }
  return kDefaultProfile;
}

// Reads a whole file; nullopt when it does not exist; throws when it exists but cannot be read.
std::optional<std::string> readIfExists(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::runtime("credential file " + path.string() + ": cannot be read (check its permissions)");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void warnIfOthersCanRead(const fs::path& path, std::vector<std::string>& warnings) {
  std::error_code ec;
  const auto perms = fs::status(path, ec).permissions();
  if (ec) return;
  if ((perms & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(perms) & 0777u);
    warnings.push_back("credential file " + path.string() + " is readable by group or others (mode " + mode +
                       "); run: chmod 600 " + path.string());
  }
}

// Library parse messages can quote the file's text, which holds the secret: never pass them on.
std::optional<Credentials> fromTccliFile(const fs::path& path) {
  const auto text = readIfExists(path);
  if (!text) return std::nullopt;
  Poco::JSON::Object::Ptr object;
  try {
    const Poco::Dynamic::Var root = Poco::JSON::Parser().parse(*text);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) object = root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!object) throw Error::runtime("credential file " + path.string() + ": not a JSON object");
  const auto field = [&](const std::string& key, bool required) -> std::string {
    const bool present = object->has(key) && !object->isNull(key);
    if (present && object->get(key).isString()) return object->getValue<std::string>(key);
    if (present || required) {
      throw Error::runtime("credential file " + path.string() + ": \"" + key +
                           (present ? "\" is not a string" : "\" is missing"));
    }
    return "";
  };
  Credentials c{field("secretId", true), field("secretKey", true), field("token", false)};
  if (c.secret_id.empty() || c.secret_key.empty()) {
    throw Error::runtime("credential file " + path.string() + ": secretId or secretKey is empty");
  }
  return c;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::optional<Credentials> fromIniFile(const fs::path& path, const std::string& profile) {
  const auto text = readIfExists(path);
  if (!text) return std::nullopt;
  std::map<std::string, std::string> values;
  bool in_profile = false;
  bool found_section = false;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = trim(line.substr(1, line.size() - 2)) == profile;
      found_section = found_section || in_profile;
      continue;
    }
    const auto eq = line.find('=');
    if (in_profile && eq != std::string::npos) values[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  if (!found_section) return std::nullopt;
  Credentials c{values["secret_id"], values["secret_key"], values["token"]};
  if (c.secret_id.empty() || c.secret_key.empty()) {
    throw Error::runtime("credential file " + path.string() + ": section [" + profile +
                         "] lacks secret_id or secret_key");
  }
  return c;
}

}  // namespace

LoadedCredentials loadCredentials(const CredentialLookup& lookup) {
  LoadedCredentials out;
  out.profile = chooseProfile(lookup);
  std::vector<std::string> looked;

  const auto id = env(lookup, kEnvSecretId);
  const auto key = env(lookup, kEnvSecretKey);
  if (lookup.profile) {
    looked.push_back("the environment (not used: --profile was given)");
  } else {
    if (id && key) {
      out.credentials = {*id, *key, env(lookup, kEnvToken).value_or(env(lookup, kEnvSecurityToken).value_or(""))};
      out.source = "environment";
      return out;
    }
    if (id || key) {
      throw Error::runtime(std::string(id ? kEnvSecretId : kEnvSecretKey) + " is set but " +
                           (id ? kEnvSecretKey : kEnvSecretId) + " is not");
    }
    looked.push_back(std::string("environment ") + kEnvSecretId + "/" + kEnvSecretKey);
  }

  if (!lookup.home.empty()) {
    const fs::path home(lookup.home);
    const fs::path tccli = home / ".tccli" / (out.profile + ".credential");
    const fs::path ini = home / ".tencentcloud" / "credentials";
    if (auto c = fromTccliFile(tccli)) {
      out.credentials = *c;
      out.source = tccli.string();
      warnIfOthersCanRead(tccli, out.warnings);
      return out;
    }
    looked.push_back(tccli.string());
    if (auto c = fromIniFile(ini, out.profile)) {
      out.credentials = *c;
      out.source = ini.string();
      warnIfOthersCanRead(ini, out.warnings);
      return out;
    }
    looked.push_back(ini.string() + " [" + out.profile + "]");
  } else {
    looked.push_back("no credential files (home directory unknown)");
  }

  std::string message = "no credentials for profile '" + out.profile + "'; looked in: ";
  for (std::size_t i = 0; i < looked.size(); ++i) message += (i ? ", " : "") + looked[i];
  throw Error::runtime(message);
}

CredentialLookup processCredentialLookup(std::optional<std::string> profile) {
  CredentialLookup lookup;
  lookup.profile = std::move(profile);
  lookup.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    lookup.home = home;
  } else if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    lookup.home = pw->pw_dir;
  }
  return lookup;
}

}  // namespace taskledger::tencent
