#pragma once
// The CLB actions whose documentation says to confirm them with DescribeTaskStatus (API.md
// "CloudAudit"): the actions `discover` turns into tasks unless --actions replaces the set, and
// the actions the local endpoint's generator writes events for.
#include <set>
#include <string>

namespace taskledger {

const std::set<std::string>& clbAsyncActions();

}  // namespace taskledger
