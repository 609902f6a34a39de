#pragma once
// Making ledger values safe for each output. Values come from CSV files and API answers, so
// every renderer treats them as hostile: no markup, formula or terminal control may get through.
#include <string>
#include <string_view>

namespace taskledger::report {

// Control characters (C0 and DEL) as visible "\x1b", C1 (U+0080..U+009F) as "\u009b", and bytes
// that are not UTF-8 (a raw 0x9b is CSI to an 8-bit terminal) as "\x9b": a message cannot move
// the cursor, clear the screen or break a line of a table.
std::string printable(std::string_view s);

// printable(), then & < > " ' as character references: safe in element content and in
// quoted attribute values.
std::string escapeHtml(std::string_view s);

// printable(), then every character that could start Markdown or GFM markup (emphasis, code,
// links, raw HTML, entities, table cells) behind a backslash.
std::string escapeMarkdown(std::string_view s);

// One RFC 4180 field. A cell beginning with = + - @ tab or CR gets a leading ' so that no
// spreadsheet runs it as a formula (OWASP "CSV injection"); quoted when it holds , " CR or LF.
std::string csvCell(std::string_view s);

// A JSON string literal with its quotes. Invalid UTF-8 becomes U+FFFD: the output always parses.
std::string jsonString(std::string_view s);

}  // namespace taskledger::report
