#include "LiveLine.h"

#include <unistd.h>

#include <ostream>

namespace taskledger::cli {

bool LiveLine::wanted(const GlobalOptions& global, int fd) {
  return global.log_format != "json" && !global.quiet && ::isatty(fd);
}

void LiveLine::show(const std::string& text) {
  if (!live_) return;
  out_ << "\r\033[K" << text << std::flush;
  open_ = true;
}

void LiveLine::end() {
  if (open_) out_ << "\n" << std::flush;
  open_ = false;
}

}  // namespace taskledger::cli
