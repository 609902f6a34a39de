-- Where `discover` left off, per profile: the time of the last audit event it saw. The next
-- discover without --since starts a little before it (late events), so nothing falls in a gap.
CREATE TABLE discovery_cursor (
  profile       TEXT PRIMARY KEY,
  last_event_at TEXT NOT NULL,  -- UTC ISO-8601, like every time in the ledger
  updated_at    TEXT NOT NULL
);

-- The send times of the last DescribeEvents calls per CloudAudit host (comma-separated), so a
-- discover started right after another keeps to the service's 20 calls per second with it.
CREATE TABLE discovery_calls (
  host    TEXT PRIMARY KEY,
  sent_at TEXT NOT NULL
);
