/**
 * The FUSE mount (jnr-fuse on libfuse2's high-level API, ADR 0002): one class per kind of file, commit
 * detection from what SQLite writes (journal unlink, truncate or zeroed header; WAL commit frames), read-only
 * replicas, virtual files, and the engine's own writes through the mount as a privileged client. SQLite's
 * locks stay in the kernel: there is no {@code lock} callback. Uses {@code store} and {@code sqlite}.
 */
package dev.litefs.core.fuse;
