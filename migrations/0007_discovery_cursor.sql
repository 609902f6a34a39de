-- Where `discover` left off, per profile: the time of the last audit event it saw. The next
-- discover without --since starts a little before it (late events), so nothing falls in a gap.
CREATE TABLE discovery_cursor (
  profile       TEXT PRIMARY KEY,
  last_event_at TEXT NOT NULL,  -- UTC ISO-8601, like every time in the ledger
  updated_at    TEXT NOT NULL
);
