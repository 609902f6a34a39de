#include "Escape.h"

#include <cstdio>

#include "taskledger/domain/Validation.h"

namespace taskledger::report {
namespace {

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

void appendHex(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

void appendC1(std::string& out, unsigned char low) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", low);
  out += buf;
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) {
      appendHex(out, c);  // not UTF-8: a lone 0x9b is CSI to an 8-bit terminal
      ++i;
      continue;
    }
    if (n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      appendC1(out, static_cast<unsigned char>(s[i + 1]));  // U+0080..U+009F, obeyed by some terminals
    } else if (n == 1 && isControl(c)) {
      appendHex(out, c);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string escapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : printable(s)) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string escapeMarkdown(std::string_view s) {
  // Only what can start markup in the middle of a line: values never begin a line here (they
  // follow "| " or "**Label:** "), so # + - . ! need no escape, and ( ) cannot form a link
  // without an unescaped ]. @ would mention a user on GitHub.
  static constexpr std::string_view kSpecial = "\\`*_[]<>|&~$@";
  std::string out;
  out.reserve(s.size());
  for (char ch : printable(s)) {
    if (kSpecial.find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

std::string csvCell(std::string_view s) {
  std::string cell;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) cell = "'";
  cell += s;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\xef\xbf\xbd";  // U+FFFD
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (isControl(c) && c != 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

}  // namespace taskledger::report
