-- A requeue restarts a task's give-up clock (issue 14): without it, `requeue --state expired`
-- made a task due that the next run expired again before asking anything. A task expires only
-- once it was asked since its clock started: max(submitted_at, requeued_at) is older than
-- --give-up-after and last_checked_at is set (and not before requeued_at).
ALTER TABLE tasks ADD COLUMN requeued_at TEXT;
