#include "taskledger/tencent/HttpAnswer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string_view>

namespace taskledger::tencent {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

template <typename T>
bool parseNumber(std::string_view s, T& out, int base = 10) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// The body of a chunked answer starting at `pos`, or nullopt while incomplete; `end` is set to
// where the answer ends.
std::optional<std::string> dechunk(const std::string& in, std::size_t pos, std::size_t max_bytes, std::size_t& end) {
  std::string body;
  while (true) {
    const std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return std::nullopt;
    std::string_view size_text = trim(std::string_view(in).substr(pos, eol - pos));
    size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions
    std::size_t size = 0;
    if (!parseNumber(trim(size_text), size, 16)) fail("answer with a bad chunk size");
    if (size > max_bytes || body.size() + size > max_bytes) {
      fail("answer larger than " + std::to_string(max_bytes / 1024) + " KiB");
    }
    pos = eol + 2;
    if (size == 0) {
      // Trailers, if any, end with an empty line.
      const std::size_t last = in.compare(pos, 2, "\r\n") == 0 ? pos : in.find("\r\n\r\n", pos);
      if (last == std::string::npos || in.size() < last + 2) return std::nullopt;
      end = last == pos ? pos + 2 : last + 4;
      return body;
    }
    if (in.size() < pos + size + 2) return std::nullopt;
    if (in.compare(pos + size, 2, "\r\n") != 0) fail("answer with a chunk longer than its size");
    body.append(in, pos, size);
    pos += size + 2;
  }
}

}  // namespace

std::optional<HttpAnswer> readHttpAnswer(const std::string& in, bool closed, std::size_t max_bytes) {
  const auto too_large = [&] { fail("answer larger than " + std::to_string(max_bytes / 1024) + " KiB"); };
  const std::size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    if (in.size() > max_bytes) too_large();
    if (!closed) return std::nullopt;
    fail(in.empty() ? "connection closed without an answer" : "connection closed in the answer's headers");
  }
  std::string_view head(in.data(), head_end);
  if (head.substr(0, 5) != "HTTP/") fail("not an HTTP answer");
  HttpAnswer answer;
  answer.keep_alive = head.substr(5, 3) == "1.1";
  const std::size_t line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view status_line = head.substr(0, line_end);
  const std::size_t sp = status_line.find(' ');
  if (sp == std::string_view::npos || !parseNumber(status_line.substr(sp + 1, 3), answer.status) || answer.status < 100) {
    fail("answer with a bad status line");
  }

  std::optional<std::size_t> length;
  bool chunked = false;
  for (std::size_t pos = line_end; pos < head.size();) {
    const std::size_t start = pos + 2;
    const std::size_t end = std::min(head.find("\r\n", start), head.size());
    const std::string_view line = head.substr(start, end - start);
    pos = end;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value = lower(trim(line.substr(colon + 1)));
    if (name == "content-length") {
      std::size_t n = 0;
      if (!parseNumber(std::string_view(value), n)) fail("answer with a bad Content-Length");
      length = n;
    } else if (name == "transfer-encoding") {
      chunked = value.find("chunked") != std::string::npos;
    } else if (name == "connection") {
      if (value.find("close") != std::string::npos) answer.keep_alive = false;
      if (value.find("keep-alive") != std::string::npos) answer.keep_alive = true;
    }
  }

  const std::size_t body_start = head_end + 4;
  if (chunked) {
    auto body = dechunk(in, body_start, max_bytes, answer.size);
    if (!body) {
      if (in.size() > max_bytes) too_large();
      if (closed) fail("connection closed in the middle of the answer");
      return std::nullopt;
    }
    answer.body = std::move(*body);
  } else if (length) {
    if (*length > max_bytes) too_large();
    if (in.size() - body_start < *length) {
      if (closed) {
        fail("connection closed after " + std::to_string(in.size() - body_start) + " of " + std::to_string(*length) +
             " bytes of the answer");
      }
      return std::nullopt;
    }
    answer.body = in.substr(body_start, *length);
    answer.size = body_start + *length;
  } else {
    if (in.size() - body_start > max_bytes) too_large();
    if (!closed) return std::nullopt;  // the body runs to the end of the connection
    answer.body = in.substr(body_start);
    answer.size = in.size();
    answer.keep_alive = false;
  }
  if (closed) answer.keep_alive = false;
  return answer;
}

}  // namespace taskledger::tencent
