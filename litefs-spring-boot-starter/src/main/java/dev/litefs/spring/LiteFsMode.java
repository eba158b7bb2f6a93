package dev.litefs.spring;

/** How the application reaches its LiteFS databases. Chosen by {@code litefs.mode}. */
public enum LiteFsMode {
  /**
   * Configuration only: pick {@link #SIDECAR} when {@code litefs.mount-dir} is a LiteFS mount (it holds a
   * {@code .lag} file), otherwise {@link #DEV}. On Fly.io (where {@code FLY_MACHINE_ID} is set) a missing
   * mount is an error rather than a silent fall-back to dev mode.
   */
  AUTO,

  /**
   * A LiteFS mount run by someone else ({@code litefs mount -- java -jar app.jar}, ours or upstream's): the
   * role comes from {@code .primary} and the {@code /events} stream, positions from {@code <db>-pos}.
   */
  SIDECAR,

  /**
   * The starter runs the engine as a child process from the same jar. Not available yet: choosing it fails
   * at startup with an explanation.
   */
  MANAGED,

  /** No FUSE and no replication: plain files in {@code litefs.dev.dir}, always primary. For laptops and CI. */
  DEV
}
