-- A job queue in SQLite. A job is 'ready' (claimable from run_at on), 'claimed' (invisible to other claims until
-- claimed_until, the visibility timeout), 'done', or 'dead' (gave up after max_attempts; kept for inspection).
-- attempts counts claims, and doubles as the fencing token of the current claim. Times are epoch milliseconds.
CREATE TABLE jobs (
  id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  kind          TEXT    NOT NULL,
  payload       TEXT    NOT NULL,
  state         TEXT    NOT NULL CHECK (state IN ('ready', 'claimed', 'done', 'dead')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  max_attempts  INTEGER NOT NULL,
  run_at        INTEGER NOT NULL,
  claimed_by    TEXT,
  claimed_until INTEGER,
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  finished_at   INTEGER
);

CREATE INDEX jobs_claimable ON jobs (state, run_at);
