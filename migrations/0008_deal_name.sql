-- A prepaid CreateLoadBalancer answers with an order id (DealName) beside its RequestId;
-- DescribeTaskStatus accepts either. Recorded by `add --from-json` when the answer has one; empty
-- otherwise.
ALTER TABLE tasks ADD COLUMN deal_name TEXT NOT NULL DEFAULT '';
