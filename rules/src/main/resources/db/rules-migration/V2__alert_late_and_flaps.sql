-- Alerts raised from late readings (backfill, a gateway's backlog) and flap counts.
ALTER TABLE alert ADD COLUMN late  BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE alert ADD COLUMN held  BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE alert ADD COLUMN flaps INT     DEFAULT 0     NOT NULL;
