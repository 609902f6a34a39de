#include "CsvRenderer.h"

#include "Escape.h"
#include "Sections.h"

namespace taskledger::report {
namespace {

constexpr const char* kHeader =
    "class,request_id,region,profile,operation,resource,state,submitted_at,resolved_at,age_seconds,"
    "attempts,last_error_code,message,actor,source_ip\n";

void writeRow(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += csvCell(cells[i]);
  }
  out += '\n';
}

}  // namespace

std::string renderCsv(const Summary& s) {
  std::string out = kHeader;
  for (const auto* list : {&s.failed, &s.stuck, &s.rejected}) {
    for (const ListedTask& t : *list) {
      writeRow(out, {std::string(toString(t.task_class)), t.request_id, t.region, t.profile, t.operation,
                     t.resource, std::string(toString(t.state)), showTime(t.submitted_at, s.utc),
                     t.resolved_at ? showTime(*t.resolved_at, s.utc) : "",
                     t.task_class == TaskClass::Stuck ? decimalSeconds(t.age) : "", std::to_string(t.attempts),
                     t.last_error_code, t.message, t.actor, t.source_ip});
    }
  }
  return out;
}

}  // namespace taskledger::report
