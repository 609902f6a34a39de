#pragma once
// The file named on `import`'s command line, or standard input for "-". Opening checks what a
// user can get wrong (missing file, a directory, no permission) and says so in one line naming
// the file, as a usage error (exit 2), before the ledger is touched.
#include <fstream>
#include <istream>
#include <string>

namespace taskledger::import {

class InputFile {
 public:
  // Throws taskledger::Error (usage) naming the file when it cannot be read.
  explicit InputFile(const std::string& path);
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  std::istream& stream() { return *in_; }
  // The path as given, or "<stdin>" for "-": how rows are named in messages and sources.
  const std::string& displayName() const { return name_; }

 private:
  std::string name_;
  std::ifstream file_;
  std::istream* in_ = nullptr;
};

}  // namespace taskledger::import
