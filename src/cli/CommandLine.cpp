#include "CommandLine.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Error.h"

namespace taskledger::cli {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Reads the INI file: top-level keys and keys of the [command] section become "--key=value"
// arguments. Top-level keys this command does not know are skipped (one file serves all
// commands); unknown keys in the command's own section are errors naming file and line.
std::vector<std::string> configArgs(const std::string& path, const std::string& command,
                                    const po::options_description& desc) {
  std::ifstream in(path);
  if (!in) throw Error::usage("--config: cannot read '" + path + "'");
  std::vector<std::string> out;
  std::string line, section;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') throw Error::usage(path + ":" + std::to_string(lineno) + ": malformed section header");
      section = trim(t.substr(1, t.size() - 2));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos) {
      throw Error::usage(path + ":" + std::to_string(lineno) + ": expected 'name = value'");
    }
    std::string key = trim(t.substr(0, eq));
    std::string value = trim(t.substr(eq + 1));
    if (!section.empty() && section != command) continue;
    const auto* opt = desc.find_nothrow(key, false);
    if (!opt) {
      if (section.empty()) continue;
      throw Error::usage(path + ":" + std::to_string(lineno) + ": unknown setting '" + key +
                         "' for " + command);
    }
    bool is_switch = opt->semantic()->max_tokens() == 0;
    if (is_switch) {
      if (value == "true" || value == "yes" || value == "1" || value.empty()) out.push_back("--" + key);
    } else {
      out.push_back("--" + key + "=" + value);
    }
  }
  return out;
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
      ("verbose,v", po::bool_switch(&g.verbose), "print more detail")
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
    po::store(po::command_line_parser(args).options(parse_desc).positional(pos).run(), result.vm);
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
      po::store(po::command_line_parser(extra).options(all).run(), result.vm);
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

}  // namespace taskledger::cli
