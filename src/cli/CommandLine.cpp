#include "CommandLine.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "Commands.h"

#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Error.h"

namespace taskledger::cli {
namespace {

// A configuration file is a few hundred bytes; anything this large is the wrong file.
constexpr std::streamsize kMaxConfigBytes = 1 << 20;

// The file's text, without a UTF-8 byte-order mark (editors on Windows add one, and it would
// otherwise become part of the first setting's name) and with ';' comment lines blanked (an INI
// habit Boost's reader does not share). Line numbers are kept.
std::string readConfigText(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error::usage("--config: cannot read '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error::usage("--config: '" + path + "' is a directory, not an INI file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::usage("--config: cannot read '" + path + "': " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(kMaxConfigBytes) + 1, '\0');
  in.read(text.data(), kMaxConfigBytes + 1);
  if (in.bad()) throw Error::usage("--config: cannot read '" + path + "'");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > static_cast<std::size_t>(kMaxConfigBytes)) {
    throw Error::usage("--config: '" + path + "' is larger than 1 MiB; not a configuration file");
  }
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::size_t first = text.find_first_not_of(" \t", at);
    if (first < end && text[first] == ';') std::fill(text.begin() + static_cast<std::ptrdiff_t>(first), text.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    at = end + 1;
  }
  return text;
}

// The line on which "section.key" (or a top-level "key") is set, for messages; 0 if not found.
int lineOf(const std::string& text, const std::string& section, const std::string& key) {
  std::istringstream in(text);
  std::string line, current;
  for (int n = 1; std::getline(in, line); ++n) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    if (line[b] == '[') {
      auto e = line.find(']', b);
      current = line.substr(b + 1, e == std::string::npos ? std::string::npos : e - b - 1);
      continue;
    }
    if (current == section && line.compare(b, key.size(), key) == 0) return n;
  }
  return 0;
}

// Reads the INI file with Boost's reader: top-level keys and keys of the [command] section
// become "--key=value" arguments. Top-level keys this command does not know are skipped (one
// file serves all commands); unknown keys in the command's own section, and sections that are
// not commands, are errors naming file and line.
std::vector<std::string> configArgs(const std::string& path, const std::string& command,
                                    const po::options_description& desc) {
  const std::string text = readConfigText(path);
  std::istringstream in(text);
  po::parsed_options parsed(nullptr);
  try {
    parsed = po::parse_config_file(in, po::options_description(), true);
  } catch (const po::error& e) {
    throw Error::usage(path + ": " + e.what());
  }
  const auto& commands = commandNames();
  std::vector<std::string> out;
  for (const auto& o : parsed.options) {
    const auto dot = o.string_key.rfind('.');
    const std::string section = dot == std::string::npos ? "" : o.string_key.substr(0, dot);
    const std::string key = dot == std::string::npos ? o.string_key : o.string_key.substr(dot + 1);
    // audit_region and audit-region alike: INI files of other tools spell keys with underscores.
    std::string flag = key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const std::string where = path + ":" + std::to_string(lineOf(text, section, key)) + ": ";
    if (!section.empty() && std::find(commands.begin(), commands.end(), section) == commands.end()) {
      std::string list;
      for (const auto& c : commands) list += (list.empty() ? "" : ", ") + c;
      throw Error::usage(where + "unknown section [" + section + "]; sections are commands: " + list);
    }
    if (!section.empty() && section != command) continue;
    const std::string value = o.value.empty() ? "" : o.value.front();
    const auto* opt = desc.find_nothrow(flag, false);
    if (!opt) {
      if (section.empty()) continue;
      throw Error::usage(where + "unknown setting '" + key + "' for " + command);
    }
    bool is_switch = opt->semantic()->max_tokens() == 0;
    if (is_switch) {
      if (value == "true" || value == "yes" || value == "1" || value.empty()) out.push_back("--" + flag);
      else if (value != "false" && value != "no" && value != "0") {
        throw Error::usage(where + "'" + key + "' is a switch: write true or false, not '" + value + "'");
      }
    } else {
      out.push_back("--" + flag + "=" + value);
    }
  }
  return out;
}

// Boost reads "-3" into an unsigned option as 18446744073709551613; a count is never negative.
void rejectNegativeCounts(const po::parsed_options& parsed, const po::options_description& desc) {
  for (const auto& o : parsed.options) {
    const auto* opt = desc.find_nothrow(o.string_key, false);
    if (!opt) continue;
    const auto* semantic = opt->semantic().get();
    const bool is_unsigned = dynamic_cast<const po::typed_value<std::size_t>*>(semantic) != nullptr ||
                             dynamic_cast<const po::typed_value<unsigned>*>(semantic) != nullptr;
    if (!is_unsigned) continue;
    for (const auto& v : o.value) {
      if (v.find('-') != std::string::npos) {
        throw Error::usage("--" + o.string_key + ": '" + v + "' is not a count; write a whole number above 0");
      }
    }
  }
}

void printHelp(const CommandSpec& spec, const po::options_description& options,
               const po::options_description& globals) {
  std::cout << "Usage: taskledger " << spec.synopsis << "\n\n" << spec.summary << "\n";
  if (!spec.details.empty()) std::cout << "\n" << spec.details << "\n";
  std::cout << "\n" << options << "\n" << globals;
  if (!spec.example.empty()) std::cout << "\nExample:\n" << spec.example << "\n";
}

}  // namespace

po::options_description globalOptionsDescription(GlobalOptions& g) {
  po::options_description d("Global options");
  d.add_options()
      ("db", po::value(&g.db)->default_value(g.db)->value_name("PATH"),
       "the ledger file (env TASKLEDGER_DB)")
      ("config", po::value(&g.config)->value_name("FILE"),
       "INI file of settings named like the flags; [command] sections apply to one command")
      ("log-format", po::value(&g.log_format)->default_value(g.log_format)->value_name("text|json"),
       "format of log lines on stderr")
      ("quiet,q", po::bool_switch(&g.quiet), "print only errors")
      ("verbose,v", po::bool_switch(&g.verbose), "run: say which lock, credentials and hosts it uses")
      ("help,h", "show this help");
  return d;
}

ParsedCommand parseCommand(const CommandSpec& spec, po::options_description& options,
                           const std::vector<std::string>& positional, const std::vector<std::string>& args,
                           bool last_repeats) {
  ParsedCommand result;
  po::options_description globals = globalOptionsDescription(result.global);
  po::options_description all;
  all.add(options).add(globals);
  po::options_description hidden;
  po::positional_options_description pos;
  for (std::size_t i = 0; i < positional.size(); ++i) {
    bool repeats = last_repeats && i + 1 == positional.size();
    hidden.add_options()(positional[i].c_str(),
                         repeats ? po::value<std::vector<std::string>>()->multitoken()
                                 : static_cast<const po::value_semantic*>(po::value<std::string>()));
    pos.add(positional[i].c_str(), repeats ? -1 : 1);
  }
  po::options_description parse_desc;
  parse_desc.add(all).add(hidden);

  const std::string where;  // the caller prefixes the command name
  try {
    auto from_args = po::command_line_parser(args).options(parse_desc).positional(pos).run();
    rejectNegativeCounts(from_args, parse_desc);
    po::store(from_args, result.vm);
    if (result.vm.count("help")) {
      printHelp(spec, options, globals);
      result.help_shown = true;
      return result;
    }
    po::store(po::parse_environment(all,
                                    [](const std::string& env) -> std::string {
                                      return env == "TASKLEDGER_DB" ? "db" : "";
                                    }),
              result.vm);
    std::string config;
    if (result.vm.count("config")) config = result.vm["config"].as<std::string>();
    if (!config.empty()) {
      auto extra = configArgs(config, spec.name, all);
      auto from_file = po::command_line_parser(extra).options(all).run();
      rejectNegativeCounts(from_file, all);
      po::store(from_file, result.vm);
    }
    po::notify(result.vm);
  } catch (const po::too_many_positional_options_error&) {
    throw Error::usage(where + "too many arguments; see 'taskledger " + spec.name + " --help'");
  } catch (const po::error& e) {
    throw Error::usage(where + e.what());
  }
  if (result.global.log_format != "text" && result.global.log_format != "json") {
    throw Error::usage(where + "--log-format must be text or json, not '" + result.global.log_format + "'");
  }
  return result;
}

Millis durationFlag(const po::variables_map& vm, const std::string& name) {
  const std::string text = vm[name].as<std::string>();
  auto d = parseDuration(text);
  if (!d) {
    throw Error::usage("--" + name + ": '" + text + "' is not a duration; write e.g. 90s, 15m, 2h or 7d");
  }
  return *d;
}

Millis durationFlag(const po::variables_map& vm, const std::string& name, Millis at_least) {
  const Millis d = durationFlag(vm, name);
  if (d < at_least) {
    throw Error::usage("--" + name + ": '" + vm[name].as<std::string>() + "' is too short; it must be at least " +
                       formatDuration(at_least));
  }
  return d;
}

}  // namespace taskledger::cli
