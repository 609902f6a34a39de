#include "taskledger/tencent/CredentialSource.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/domain/Validation.h"

namespace taskledger::tencent {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEnvSecretId = "TENCENTCLOUD_SECRET_ID";
constexpr const char* kEnvSecretKey = "TENCENTCLOUD_SECRET_KEY";
constexpr const char* kEnvToken = "TENCENTCLOUD_TOKEN";
constexpr const char* kEnvSecurityToken = "TENCENTCLOUD_SECURITY_TOKEN";
constexpr const char* kEnvSessionToken = "TENCENTCLOUD_SESSION_TOKEN";
constexpr const char* kEnvProfile = "TCCLI_PROFILE";
// Terraform's names for the role to assume.
constexpr const char* kEnvAssumeRoleArn = "TENCENTCLOUD_ASSUME_ROLE_ARN";
constexpr const char* kEnvAssumeRoleSession = "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME";
constexpr const char* kEnvAssumeRoleDuration = "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION";
constexpr const char* kEnvAssumeRoleExternalId = "TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID";
constexpr const char* kEnvRoleArn = "TENCENTCLOUD_ROLE_ARN";
constexpr const char* kEnvRoleSession = "TENCENTCLOUD_ROLE_SESSION_NAME";
constexpr const char* kEnvCredentialsFile = "TENCENTCLOUD_CREDENTIALS_FILE";
constexpr const char* kDefaultProfile = "default";

std::optional<std::string> env(const CredentialLookup& lookup, const std::string& name) {
  if (!lookup.getenv) return std::nullopt;
  auto value = lookup.getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// Closes its descriptor when it goes.
struct OpenFile {
  explicit OpenFile(int f) : fd(f) {}
  int fd;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() { ::close(fd); }
};

std::string pickProfile(const CredentialLookup& lookup) {
  if (lookup.profile) {
    if (!isValidProfileName(*lookup.profile)) throw Error::usage(profileNameProblem(*lookup.profile, "--profile"));
    return *lookup.profile;
  }
  if (auto p = env(lookup, kEnvProfile)) {
    if (!isValidProfileName(*p)) throw Error::usage(profileNameProblem(*p, kEnvProfile));
    return *p;
  }
  return kDefaultProfile;
}

// Reads a whole file of at most kMaxCredentialFileBytes; nullopt when it does not exist. Anything
// but a regular file (a FIFO would block the open or the read for ever, /dev/zero never ends, a
// directory has no text) is refused by name: it was put there by mistake or by someone else.
std::optional<std::string> readIfExists(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw Error::runtime("credential file " + path.string() + ": cannot be read: " + std::strerror(errno));
  }
  const OpenFile closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error::runtime("credential file " + path.string() + ": not a regular file (a directory, FIFO or device)");
  }
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error::runtime("credential file " + path.string() + ": cannot be read: " + std::strerror(errno));
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxCredentialFileBytes) {
      throw Error::runtime("credential file " + path.string() + ": larger than " +
                           std::to_string(kMaxCredentialFileBytes / 1024) + " KiB, not a credential file");
    }
  }
  return text;
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

struct TccliFile {
  Credentials credentials;
  bool cvm_role = false;
  std::string role_arn, role_session_name;
  std::optional<TimePoint> expires_at;  // oauth/sso
};

TimePoint lookupNow(const CredentialLookup& lookup) {
  if (lookup.now) return lookup.now();
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

// tccli's oauth/sso keys (tccli auth login) carry expiresAt; tccli renews them itself, so keys
// past it mean tccli has not run since: sending them would only earn AuthFailure.
TimePoint loginExpiry(const Poco::JSON::Object& object, const fs::path& path, const std::string& type,
                      const CredentialLookup& lookup) {
  std::int64_t seconds = 0;
  try {
    seconds = object.getValue<std::int64_t>("expiresAt");
  } catch (const Poco::Exception&) {
    throw Error::runtime("credential file " + path.string() + ": \"type\": \"" + type +
                         "\" needs \"expiresAt\" in Unix seconds");
  }
  const TimePoint expires = fromUnixSeconds(seconds);
  if (expires <= lookupNow(lookup)) {
    throw Error(ExitCode::AuthRefused, "credential file " + path.string() + ": the " + type + " keys expired at " +
                                           formatIsoUtc(expires) + "; log in with tccli again (tccli " +
                                           (type == "sso" ? "sso" : "auth") + " login)");
  }
  return expires;
}

// Library parse messages can quote the file's text, which holds the secret: never pass them on.
std::optional<TccliFile> fromTccliFile(const fs::path& path, const CredentialLookup& lookup) {
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
  TccliFile f;
  // The instance role wins over keys left in the file (tccli configure set use-cvm-role true).
  const std::string type = field("type", false);
  if (type == "cvm-role") {
    f.cvm_role = true;
    return f;
  }
  if (type == "oauth" || type == "sso") f.expires_at = loginExpiry(*object, path, type, lookup);
  f.credentials = {field("secretId", true), field("secretKey", true), field("token", false)};
  if (f.credentials.secret_id.empty() || f.credentials.secret_key.empty()) {
    throw Error::runtime("credential file " + path.string() + ": secretId or secretKey is empty");
  }
  f.role_arn = field("role-arn", false);
  f.role_session_name = field("role-session-name", false);
  if (f.role_arn.empty() != f.role_session_name.empty()) {
    throw Error::runtime("credential file " + path.string() + ": role-arn and role-session-name go together");
  }
  return f;
}

std::optional<Credentials> fromIniFile(const fs::path& path, const std::string& profile) {
  const auto text = readIfExists(path);
  if (!text) return std::nullopt;
  std::map<std::string, std::string> values;
  bool in_profile = false;
  bool found_section = false;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    line = Poco::trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = Poco::trim(line.substr(1, line.size() - 2)) == profile;
      found_section = found_section || in_profile;
      continue;
    }
    const auto eq = line.find('=');
    if (in_profile && eq != std::string::npos) values[Poco::trim(line.substr(0, eq))] = Poco::trim(line.substr(eq + 1));
  }
  if (!found_section) return std::nullopt;
  Credentials c{values["secret_id"], values["secret_key"], values["token"]};
  if (c.secret_id.empty() || c.secret_key.empty()) {
    throw Error::runtime("credential file " + path.string() + ": section [" + profile +
                         "] lacks secret_id or secret_key");
  }
  return c;
}

// The SDKs' and tools' names for the token of temporary keys, tccli's first.
std::string envToken(const CredentialLookup& lookup) {
  for (const char* name : {kEnvToken, kEnvSecurityToken, kEnvSessionToken}) {
    if (auto token = env(lookup, name)) return *token;
  }
  return "";
}

// A role named by the pair of variables `arn_name` and `session_name`; false when neither is set.
bool envRole(const CredentialLookup& lookup, LoadedCredentials& out, const char* arn_name, const char* session_name) {
  const auto arn = env(lookup, arn_name);
  const auto session = env(lookup, session_name);
  if (arn.has_value() != session.has_value()) {
    throw Error::runtime(std::string(arn ? arn_name : session_name) + " is set but " + (arn ? session_name : arn_name) +
                         " is not");
  }
  out.role_arn = arn.value_or("");
  out.role_session_name = session.value_or("");
  return arn.has_value();
}

// STS grants 900 s to 12 hours.
int roleDuration(const std::string& text) {
  int seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 1 || seconds > 43200) {
    throw Error::usage(std::string(kEnvAssumeRoleDuration) + " '" + text + "': expected whole seconds, at most 43200");
  }
  return seconds;
}

}  // namespace

std::string chooseProfile(const CredentialLookup& lookup) { return pickProfile(lookup); }

std::optional<LoadedCredentials> findCredentials(const CredentialLookup& lookup, std::vector<std::string>& looked) {
  LoadedCredentials out;
  out.profile = chooseProfile(lookup);
  // The environment's role is, like its keys, the default profile's.
  if (!lookup.profile) {
    if (!envRole(lookup, out, kEnvRoleArn, kEnvRoleSession)) {
      envRole(lookup, out, kEnvAssumeRoleArn, kEnvAssumeRoleSession);
      out.role_external_id = env(lookup, kEnvAssumeRoleExternalId).value_or("");
      if (auto d = env(lookup, kEnvAssumeRoleDuration)) out.role_duration_seconds = roleDuration(*d);
    }
  }

  const auto id = env(lookup, kEnvSecretId);
  const auto key = env(lookup, kEnvSecretKey);
  if (lookup.profile) {
    looked.push_back("the environment (not used: --profile was given)");
  } else {
    if (id && key) {
      out.credentials = {*id, *key, envToken(lookup)};
      out.source = "environment";
      return out;
    }
    if (id || key) {
      throw Error::runtime(std::string(id ? kEnvSecretId : kEnvSecretKey) + " is set but " +
                           (id ? kEnvSecretKey : kEnvSecretId) + " is not");
    }
    looked.push_back(std::string("environment ") + kEnvSecretId + "/" + kEnvSecretKey);
  }

  const auto fromIni = [&](const fs::path& ini) {
    auto c = fromIniFile(ini, out.profile);
    if (!c) {
      looked.push_back(ini.string() + " [" + out.profile + "]");
      return false;
    }
    out.credentials = *c;
    out.source = ini.string();
    warnIfOthersCanRead(ini, out.warnings);
    return true;
  };
  if (!lookup.home.empty()) {
    const fs::path tccli = fs::path(lookup.home) / ".tccli" / (out.profile + ".credential");
    if (auto f = fromTccliFile(tccli, lookup)) {
      out.source = tccli.string();
      warnIfOthersCanRead(tccli, out.warnings);
      out.cvm_role = f->cvm_role;
      out.credentials = f->credentials;
      out.expires_at = f->expires_at;
      if (out.role_arn.empty()) {
        out.role_arn = f->role_arn;
        out.role_session_name = f->role_session_name;
      }
      return out;
    }
    looked.push_back(tccli.string());
  } else {
    looked.push_back("no files in a home directory (home directory unknown)");
  }
  if (const auto named = env(lookup, kEnvCredentialsFile)) {
    if (fromIni(*named)) return out;
  }
  if (!lookup.home.empty() && fromIni(fs::path(lookup.home) / ".tencentcloud" / "credentials")) return out;
  if (!lookup.system_file.empty() && fromIni(lookup.system_file)) return out;
  return std::nullopt;
}

LoadedCredentials loadCredentials(const CredentialLookup& lookup) {
  std::vector<std::string> looked;
  if (auto found = findCredentials(lookup, looked)) return *found;
  std::string message = "no credentials for profile '" + chooseProfile(lookup) + "'; looked in: ";
  for (std::size_t i = 0; i < looked.size(); ++i) message += (i ? ", " : "") + looked[i];
  throw Error::runtime(message);
}

std::string readCredentialFile(const std::string& path) {
  if (auto text = readIfExists(path)) return *text;
  throw Error::runtime("credential file " + path + ": does not exist");
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
