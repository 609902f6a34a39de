#pragma once
// Field rules shared by the importer, `add` and the API client.
#include <optional>
#include <string>
#include <string_view>

namespace taskledger {

// A request id is a UUID: 8-4-4-4-12 hex digits, any case. Returns it lower-cased, or nullopt.
std::optional<std::string> normalizeRequestId(std::string_view text);

// Tencent's region form: lower-case words joined by '-', starting with a two-letter area:
// "ap-guangzhou", "ap-shanghai-fsi", "na-siliconvalley", "eu-frankfurt". Not a closed list.
bool isValidRegion(std::string_view region);

// A finance region ("...-fsi") must always be reached at its own host.
bool isFinanceRegion(std::string_view region);

}  // namespace taskledger
