// readHttpAnswer (tencent/HttpAnswer.h): the bytes a server, or anything pretending to be one,
// sends back on a connection. Each input is read as received so far and as all there is (the
// peer closed), and in two pieces as a connection would deliver it.
#include <stdexcept>
#include <string>

#include "FuzzCheck.h"
#include "taskledger/tencent/HttpAnswer.h"

namespace {

using taskledger::tencent::HttpAnswer;
using taskledger::tencent::readHttpAnswer;

constexpr std::size_t kMax = 1024;

std::optional<HttpAnswer> read(const std::string& in, bool closed) {
  try {
    return readHttpAnswer(in, closed, kMax);
  } catch (const std::runtime_error& e) {
    FUZZ_CHECK(std::string(e.what()).find('\n') == std::string::npos, e.what());
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  for (bool closed : {false, true}) {
    if (auto a = read(in, closed)) {
      FUZZ_CHECK(a->status >= 100 && a->status <= 999, in);
      FUZZ_CHECK(a->body.size() <= in.size() && a->size <= in.size(), in);
      FUZZ_CHECK(!closed || !a->keep_alive, in);  // a closed connection never carries another
    }
  }
  // An answer complete in a prefix stays the same answer when more bytes follow it.
  for (std::size_t cut : {size / 3, size / 2}) {
    auto early = read(in.substr(0, cut), false);
    if (!early) continue;
    auto later = read(in, false);
    FUZZ_CHECK(later && later->status == early->status && later->body == early->body && later->size == early->size, in);
  }
  return 0;
}
