-- Regions a run could not check at all (DESIGN.md, run, Errors): the API refused the region
-- (UnsupportedRegion, InvalidParameter.RegionNotFound) or its host could not be reached. Their
-- tasks stay due; the report lists them so that "0 failed" never hides "never asked".
CREATE TABLE parked_regions (
  id        INTEGER PRIMARY KEY,
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  profile   TEXT    NOT NULL,
  region    TEXT    NOT NULL,
  code      TEXT    NOT NULL,
  message   TEXT    NOT NULL DEFAULT '',
  parked_at TEXT    NOT NULL
);
CREATE INDEX parked_regions_at ON parked_regions (parked_at);
