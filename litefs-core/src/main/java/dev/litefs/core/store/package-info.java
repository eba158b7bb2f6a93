/**
 * The per-node state on disk under {@code data.dir}: each database's file, its LTX history and position,
 * crash-safe writes, startup recovery and retention. Uses {@code ltx} and {@code sqlite}; knows nothing of
 * FUSE, HTTP or leases. The layout is described in {@code docs/store.md}.
 */
package dev.litefs.core.store;
