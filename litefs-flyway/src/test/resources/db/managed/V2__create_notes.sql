CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO migration_runs(version, node) VALUES ('2', '${node}');
