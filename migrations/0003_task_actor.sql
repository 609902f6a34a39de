-- Who made the call, for tasks that `discover` found in CloudAudit: the user name (or principal)
-- and the source IP of the mutating call. Empty for tasks imported or added by hand.
ALTER TABLE tasks ADD COLUMN actor     TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN source_ip TEXT NOT NULL DEFAULT '';
