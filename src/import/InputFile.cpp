#include "taskledger/import/InputFile.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "taskledger/domain/Error.h"

namespace taskledger::import {

InputFile::InputFile(const std::string& path) {
  if (path == "-") {
    name_ = "<stdin>";
    in_ = &std::cin;
    return;
  }
  name_ = path;
  const std::string what = "cannot read '" + path + "': ";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error::usage(what + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error::usage(what + "it is a directory");
  file_.open(path, std::ios::binary);
  if (!file_) throw Error::usage(what + std::strerror(errno));
  in_ = &file_;
}

}  // namespace taskledger::import
