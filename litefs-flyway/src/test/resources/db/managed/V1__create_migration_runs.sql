-- Records the node that ran it: only the primary may.
CREATE TABLE migration_runs(version TEXT NOT NULL, node TEXT NOT NULL);
INSERT INTO migration_runs(version, node) VALUES ('1', '${node}');
