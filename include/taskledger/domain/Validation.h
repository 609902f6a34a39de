#pragma once
// Field rules shared by the importer, `add` and the API client.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taskledger {

// A request id is a UUID: 8-4-4-4-12 hex digits, any case. Returns it lower-cased, or nullopt.
std::optional<std::string> normalizeRequestId(std::string_view text);

// Tencent's region form: lower-case words joined by '-', starting with a two-letter area:
// "ap-guangzhou", "ap-shanghai-fsi", "na-siliconvalley", "eu-frankfurt". Not a closed list.
bool isValidRegion(std::string_view region);

// A profile name becomes part of a file name (~/.tccli/<profile>.credential): letters, digits,
// '_', '.' and '-', no "..", at most kMaxProfileName characters. Nothing else may reach a path.
inline constexpr std::size_t kMaxProfileName = 64;
bool isValidProfileName(std::string_view profile);
// Why `profile` is not a profile name, naming `what` (e.g. "--profile"), for an Error::usage.
std::string profileNameProblem(std::string_view profile, std::string_view what);

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 when there is none:
// overlong forms, UTF-16 surrogates and code points past U+10FFFF are not well-formed.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i);
// Free text goes into reports (JSON, HTML) and terminals: it must be well-formed UTF-8.
bool isValidUtf8(std::string_view s);

// Free-text fields are bounded so a stray paste or a hostile answer cannot fill the ledger (or a
// report); real values are short. The same limits hold for import, `add` and `discover`.
inline constexpr std::size_t kMaxOperationBytes = 128;
inline constexpr std::size_t kMaxResourceBytes = 1024;
inline constexpr std::size_t kMaxActorBytes = 256;    // a CAM user name or principal id
inline constexpr std::size_t kMaxSourceIpBytes = 64;  // an IPv6 address is at most 45

// A finance region ("...-fsi") must always be reached at its own host.
bool isFinanceRegion(std::string_view region);

}  // namespace taskledger
