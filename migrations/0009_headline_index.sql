-- Every report's headline shows each count's change against the window before (issue 22), so
-- the report reads that window too, for five counts: failed, rejected, stuck and never-checked
-- tasks need only their state, submission time and attempts. With those in tasks_submitted the
-- count reads the index alone instead of a table row per task. `id` stays second, as the rowid
-- was in the old index, so the window scan still reads in (submitted_at, id) order unsorted.
DROP INDEX tasks_submitted;
CREATE INDEX tasks_submitted ON tasks (submitted_at, id, state, attempts);
