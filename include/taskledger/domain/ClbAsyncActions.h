#pragma once
// The CLB actions whose documentation says to confirm them with DescribeTaskStatus, and those
// Tencent's own Terraform provider confirms so (CreateLoadBalancer, SetLoadBalancerSecurityGroups,
// the *CustomizedConfig actions, ...; API.md "CloudAudit"): the actions `discover` turns into
// tasks unless --actions replaces the set, and the actions the local endpoint's generator writes
// events for. Actions that answer at once (CreateClsLogSet, CreateTopic) are not in it.
#include <set>
#include <string>

namespace taskledger {

const std::set<std::string>& clbAsyncActions();

}  // namespace taskledger
