package dev.litefs.bench;

import java.util.List;

/**
 * One client loop of the FUSE benchmark and the figures it is judged by (the FUSE issue's table, measured
 * here with the same Python loop): upstream LiteFS 0.5.14 and a bare jnr-fuse passthrough with kernel-local
 * locks, as mount/local ratios, and the target ratio ({@code NaN} where there is none).
 *
 * @param id the loop's id in {@code sqlite_loops.py}
 * @param name the yardstick's name for it
 * @param liteFs upstream LiteFS 0.5.14's ratio
 * @param passthrough the jnr-fuse passthrough's ratio ({@code NaN} when not measured)
 * @param target the ratio to reach ({@code NaN} when there is none)
 * @param inserts whether it is a write loop (one transaction per insert) rather than a read loop
 */
record FuseCase(String id, String name, double liteFs, double passthrough, double target, boolean inserts) {
  /** The cases in the yardstick's order. */
  static final List<FuseCase> ALL = List.of(
      new FuseCase("insert-delete-full", "insert DELETE/FULL", 0.14, 0.46, 0.35, true),
      new FuseCase("insert-wal-full", "insert WAL/FULL", 0.14, 0.67, 0.45, true),
      new FuseCase("insert-wal-normal", "insert WAL/NORMAL", 0.008, 0.16, 0.08, true),
      new FuseCase("read-wal", "point read WAL autocommit", 0.022, 0.92, 0.8, false),
      new FuseCase("read-delete", "point read DELETE autocommit", 0.017, 0.09, 0.5, false),
      new FuseCase("read-wal-tx", "point read WAL one tx", 0.99, Double.NaN, Double.NaN, false));

  /** Whether {@code ratio} reaches the target (true when there is none). */
  boolean meets(double ratio) {
    return Double.isNaN(target) || ratio >= target;
  }
}
