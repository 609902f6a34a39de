#pragma once
// Durations as operators write them on the command line and in the configuration file.
#include <optional>
#include <string>
#include <string_view>

#include "taskledger/domain/Time.h"

namespace taskledger {

// Accepts a positive whole number with a unit: "250ms", "90s", "15m", "2h", "7d". Compound forms
// ("1h30m") are accepted too. A bare number, a negative or an unknown unit is nullopt.
std::optional<Millis> parseDuration(std::string_view text);

// The shortest exact form: 90000ms -> "90s", 5400000ms -> "1h30m", 0 -> "0s".
std::string formatDuration(Millis d);

}  // namespace taskledger
