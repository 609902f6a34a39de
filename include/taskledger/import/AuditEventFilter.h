#pragma once
// Which audit events are tasks (DESIGN.md `discover`): a successful API 3.0 write of CLB whose
// action is asynchronous. Read events, failed calls, API 2.0 ids (e.g.
// "15936031437374_1553056587.6815_v2"), other products and synchronous actions are not.
#include <optional>
#include <set>
#include <string>

#include "taskledger/domain/AuditEventSource.h"
#include "taskledger/domain/Task.h"

namespace taskledger::import {

// The source recorded for every task `discover` finds.
inline constexpr const char* kCloudAuditSource = "cloudaudit";

// The task `event` stands for, under `profile`; nullopt when it is not one. The task has the
// event's region, action (operation), load balancer (LoadBalancerId or the first of
// LoadBalancerIds in the call, else the event's resource name), time, actor (user name, else
// principal id) and source IP. `actions` is the set of asynchronous actions.
//
// A task the ledger must not hold as it came is refused too, and `refusal` then says why, naming
// the event by its RequestID: a time that is not sane against `now` (Time.h isSaneTime: an
// EventTime in milliseconds, years ahead, 0 or negative), or a field longer than import allows
// (Validation.h). `refusal` is left empty for an event that is simply not a task.
std::optional<NewTask> taskFromEvent(const AuditEvent& event, const std::set<std::string>& actions,
                                     const std::string& profile, TimePoint now, std::string& refusal);

}  // namespace taskledger::import
