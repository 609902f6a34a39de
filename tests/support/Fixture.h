#pragma once
// The answers Tencent really sends, as its documentation and SDK models give them
// (tests/fixtures/tencent/). Each file opens with '#' lines naming its source; the rest is the
// body exactly as served.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace taskledger::testing {

inline std::string fixture(const std::string& name) {
  const std::string path = std::string(TASKLEDGER_SOURCE_DIR) + "/tests/fixtures/tencent/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("no fixture " + path);
  std::string line, body;
  bool header = true;
  while (std::getline(in, line)) {
    if (header && line.rfind('#', 0) == 0) continue;
    header = false;
    body += line + "\n";
  }
  return body;
}

}  // namespace taskledger::testing
