-- The ledger: one row per submitted task, one row per answered check, one row per run.
-- Timestamps are UTC ISO-8601 text with milliseconds and a Z ("2026-11-27T23:06:17.123Z").

CREATE TABLE tasks (
  id                  INTEGER PRIMARY KEY,
  profile             TEXT    NOT NULL DEFAULT 'default',
  region              TEXT    NOT NULL,
  request_id          TEXT    NOT NULL,
  operation           TEXT    NOT NULL DEFAULT '',
  resource            TEXT    NOT NULL DEFAULT '',
  source              TEXT    NOT NULL DEFAULT '',
  submitted_at        TEXT    NOT NULL,
  imported_at         TEXT    NOT NULL,
  state               TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending','in_progress','succeeded','failed','rejected','expired')),
  last_status         INTEGER CHECK (last_status IN (0,1,2)),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_check_at       TEXT    NOT NULL,
  last_checked_at     TEXT,
  resolved_at         TEXT,
  message             TEXT,
  load_balancer_ids   TEXT,
  last_error_code     TEXT,
  last_error_message  TEXT,
  last_api_request_id TEXT,
  UNIQUE (profile, region, request_id)
);
CREATE INDEX tasks_due ON tasks (state, next_check_at);
CREATE INDEX tasks_submitted ON tasks (submitted_at);

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT    NOT NULL,
  finished_at TEXT,
  host        TEXT    NOT NULL,
  pid         INTEGER NOT NULL,
  profile     TEXT    NOT NULL DEFAULT 'default',
  checked     INTEGER NOT NULL DEFAULT 0,
  resolved    INTEGER NOT NULL DEFAULT 0,
  errors      INTEGER NOT NULL DEFAULT 0,
  rate_limited INTEGER NOT NULL DEFAULT 0,
  exit_reason TEXT
);

CREATE TABLE checks (
  id             INTEGER PRIMARY KEY,
  task_id        INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  run_id         INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  checked_at     TEXT    NOT NULL,
  outcome        TEXT    NOT NULL,
  message        TEXT,
  api_request_id TEXT,
  latency_ms     INTEGER NOT NULL DEFAULT 0,
  endpoint_host  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX checks_task ON checks (task_id, checked_at);
CREATE INDEX checks_sent ON checks (endpoint_host, checked_at);

