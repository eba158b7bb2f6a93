/**
 * The LTX v1 file format (superfly/ltx v0.3.14, the format LiteFS 0.5.14 writes): value types, encoder,
 * decoder, checksums, compaction and applying files to a database file. Depends on nothing else in the core;
 * see {@code docs/ltx-format.md}.
 */
package dev.litefs.core.ltx;
