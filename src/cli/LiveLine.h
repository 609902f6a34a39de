#pragma once
// One progress line on a terminal, rewritten in place ("\r" and erase-to-end), for the commands
// that work for a while (run, discover, wait). Off the terminal (cron, pipes) it writes nothing,
// so logs and scripts see only the commands' own lines.
#include <iosfwd>
#include <string>

#include "CommandLine.h"

namespace taskledger::cli {

class LiveLine {
 public:
  LiveLine(std::ostream& out, bool live) : out_(out), live_(live) {}
  ~LiveLine() { end(); }
  LiveLine(const LiveLine&) = delete;
  LiveLine& operator=(const LiveLine&) = delete;

  // A live line is wanted when `fd` is a terminal, the log format is text and not --quiet.
  static bool wanted(const GlobalOptions& global, int fd);

  void show(const std::string& text);  // replaces the line shown; nothing when not live
  void end();                          // moves below the line, so the next output starts clean
  bool live() const { return live_; }

 private:
  std::ostream& out_;
  bool live_;
  bool open_ = false;
};

}  // namespace taskledger::cli
