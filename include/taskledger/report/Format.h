#pragma once
// The report's output formats, one renderer each (src/report/*Renderer.cpp).
#include <optional>
#include <string>
#include <string_view>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

enum class Format { Text, Csv, Json, Markdown, Html };

// "text", "csv", "json", "markdown" (or "md"), "html"; nullopt otherwise.
std::optional<Format> parseFormat(std::string_view name);

// The whole document. Text, Markdown and HTML show times local unless s.utc; JSON always UTC.
std::string render(const Summary& s, Format format);

}  // namespace taskledger::report
