-- The poller only ever looks at unresolved tasks, and a long-lived ledger is mostly resolved
-- ones. Partial indexes over the unresolved rows keep each run's queries proportional to the
-- work left, not to the ledger's history:
--   tasks_due:        the due tasks of a profile in due order (no sort to find the first batch);
--   tasks_unresolved: expiry and the stuck count, by submission time.
-- The first tasks_due (state, next_check_at) had to sort the whole due backlog for every batch,
-- and expiry scanned every task of the profile.
DROP INDEX tasks_due;
CREATE INDEX tasks_due ON tasks (profile, next_check_at)
  WHERE state IN ('pending','in_progress');
CREATE INDEX tasks_unresolved ON tasks (profile, submitted_at)
  WHERE state IN ('pending','in_progress');
