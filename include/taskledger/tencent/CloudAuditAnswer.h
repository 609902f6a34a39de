#pragma once
// Reads a CloudAudit DescribeEvents answer (API.md "CloudAudit"): the events of one page, with
// each event's CloudAuditEvent JSON string (and the requestParameters inside it) unpacked, or the
// classified error. Never throws: an unexpected body is a BadResponse error, and an event whose
// CloudAuditEvent cannot be read keeps its other fields (it then matches no task).
#include <string>

#include "taskledger/domain/AuditEventSource.h"

namespace taskledger::tencent {

AuditAnswer parseDescribeEventsAnswer(const std::string& body);

}  // namespace taskledger::tencent
