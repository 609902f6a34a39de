#include "taskledger/domain/ClbAsyncActions.h"

namespace taskledger {

const std::set<std::string>& clbAsyncActions() {
  static const std::set<std::string> kActions = {
      "AssociateTargetGroups",           "AutoRewrite",
      "BatchModifyTargetWeight",         "CloneLoadBalancer",
      "CreateListener",                  "CreateLoadBalancerSnatIps",
      "CreateRule",                      "DeleteListener",
      "DeleteLoadBalancer",              "DeleteLoadBalancerListeners",
      "DeleteLoadBalancerSnatIps",       "DeleteRewrite",
      "DeleteRule",                      "DeregisterFunctionTargets",
      "DeregisterTargetGroupInstances",  "DeregisterTargets",
      "DeregisterTargetsFromClassicalLB", "DisassociateTargetGroups",
      "ManualRewrite",                   "ModifyDomain",
      "ModifyDomainAttributes",          "ModifyListener",
      "ModifyLoadBalancerAttributes",    "ModifyRule",
      "ModifyTargetGroupInstancesPort",  "ModifyTargetGroupInstancesWeight",
      "ModifyTargetPort",                "ModifyTargetWeight",
      "RegisterFunctionTargets",         "RegisterTargetGroupInstances",
      "RegisterTargets",                 "RegisterTargetsWithClassicalLB",
      "SetLoadBalancerStartStatus",
      // Confirmed with DescribeTaskStatus by Tencent's own Terraform provider (API.md).
      "AddCustomizedConfig",             "AssociateCustomizedConfig",
      "CreateLoadBalancer",              "DeleteCustomizedConfig",
      "DisassociateCustomizedConfig",    "ModifyCustomizedConfig",
      "ModifyFunctionTargets",           "ModifyLoadBalancerMixIpTarget",
      "ModifyLoadBalancerSla",           "ModifyLoadBalancersProject",
      "SetCustomizedConfigForLoadBalancer", "SetLoadBalancerClsLog",
      "SetLoadBalancerSecurityGroups",
  };
  return kActions;
}

}  // namespace taskledger
