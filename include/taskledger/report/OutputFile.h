#pragma once
// Writing a report file so that a reader (a web server, a mail job, a monitor) sees the old file
// or the new one, never half of one.
#include <string>
#include <string_view>

namespace taskledger::report {

// Writes `content` to a new file beside `path`, flushes it to disk and renames it over `path`.
// The file gets the usual permissions (0666 less the umask). On failure `path` is untouched, the
// temporary file is removed, and taskledger::Error (exit 1) names the file and the reason.
void writeFileAtomically(const std::string& path, std::string_view content);

}  // namespace taskledger::report
