-- Alerts raised from late readings (backfill, a gateway's backlog), flap counts, and alerts on devices
-- that never reported since registration.
ALTER TABLE alert ADD COLUMN late  BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE alert ADD COLUMN held  BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE alert ADD COLUMN flaps INT     DEFAULT 0     NOT NULL;
ALTER TABLE alert ADD COLUMN never_reported BOOLEAN DEFAULT FALSE NOT NULL;
