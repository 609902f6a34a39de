#pragma once
// Reads an HTTP/1.x answer out of the bytes received so far on a connection.
#include <cstddef>
#include <optional>
#include <string>

namespace taskledger::tencent {

struct HttpAnswer {
  int status = 0;
  std::string body;
  bool keep_alive = true;  // the connection may carry another request
  std::size_t size = 0;    // how many bytes of the input the answer took
};

// The answer at the start of `in`, or nullopt while more bytes are needed. `closed`: the peer has
// closed the connection, so `in` is all there will be. Throws std::runtime_error, with a message
// fit for a log line, for a message that is not HTTP, incomplete at close, or larger than
// `max_bytes` (headers, or body). Bytes after a complete answer are not looked at.
std::optional<HttpAnswer> readHttpAnswer(const std::string& in, bool closed, std::size_t max_bytes);

}  // namespace taskledger::tencent
