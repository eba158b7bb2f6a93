package dev.litefs.spring;

/** How the application reaches its LiteFS databases. Chosen by {@code litefs.mode}. */
public enum LiteFsMode {
  /**
   * Configuration only: pick {@link #SIDECAR} when {@code litefs.mount-dir} is a live LiteFS mount (it serves a
   * {@code .lag} file); else {@link #MANAGED} when {@code litefs.managed.config} or
   * {@code litefs.managed.lease.type} is set and this machine has FUSE (with a warning and {@link #DEV} when it
   * has not); otherwise {@link #DEV}. On Fly.io (where {@code FLY_MACHINE_ID} is set) auto never falls back to
   * dev mode: a missing mount or missing FUSE is an error.
   */
  AUTO,

  /**
   * A LiteFS mount run by someone else ({@code litefs mount -- java -jar app.jar}, ours or upstream's): the
   * role comes from {@code .primary} and the {@code /events} stream, positions from {@code <db>-pos}.
   */
  SIDECAR,

  /**
   * The starter runs the engine ({@code litefs mount}) as a child process from the application's own class
   * path, waits until it is mounted and primary or synced before any {@code DataSource} is created, then works
   * as {@link #SIDECAR} on that mount; it stops the engine on shutdown, and stops the application if the engine
   * dies. Needs FUSE ({@code /dev/fuse}, fuse3 and libfuse2).
   */
  MANAGED,

  /** No FUSE and no replication: plain files in {@code litefs.dev.dir}, always primary. For laptops and CI. */
  DEV
}
