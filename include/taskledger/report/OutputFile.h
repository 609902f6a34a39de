#pragma once
// Writing a report file so that a reader (a web server, a mail job, a monitor) sees the old file
// or the new one, never half of one; and refusing, before any work is done, a path that would
// destroy something else.
#include <string>
#include <string_view>

namespace taskledger::report {

// Refuses `path`, named by `flag` ("--output"), with taskledger::Error::usage (exit 2) when it
// is the ledger at `ledger_path` or one of its companion files (-wal, -shm, -journal, .lock),
// compared as files (symlinks, "./" and hard links included), a directory, an existing file that
// is not a regular file (a device, a pipe), or a file in a directory that is missing or not
// writable. Call it before the work whose result it will hold.
void checkOutputPath(const std::string& flag, const std::string& path, const std::string& ledger_path);

// Writes `content` to a new file beside `path`, flushes it to disk and renames it over `path`.
// A symlink is followed: the file it names is replaced and the link stays. The file gets the
// usual permissions (0666 less the umask). Refuses (exit 1) to replace anything but a regular
// file: never renames over a device such as /dev/full. On failure `path` is untouched, the
// temporary file is removed, and taskledger::Error (exit 1) names the file and the reason.
void writeFileAtomically(const std::string& path, std::string_view content);

}  // namespace taskledger::report
