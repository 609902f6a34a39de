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
  };
  return kActions;
}

}  // namespace taskledger
