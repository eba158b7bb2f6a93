-- Resources fetched from the external source on a read miss. Times are epoch milliseconds (how sqlite-jdbc
-- stores timestamps); the enrichment columns stay NULL until the background worker has processed the resource.
CREATE TABLE resources (
  id          TEXT    NOT NULL PRIMARY KEY,
  title       TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  fetched_at  INTEGER NOT NULL,
  fetched_by  TEXT    NOT NULL,
  word_count  INTEGER,
  digest      TEXT,
  enriched_at INTEGER,
  enriched_by TEXT
);

CREATE INDEX resources_fetched_at ON resources (fetched_at);
