/**
 * SQLite's own file formats, as far as LiteFS needs to read them: the database header, the rollback
 * journal and the write-ahead log. Depends on nothing else in the core.
 */
package dev.litefs.core.sqlite;
