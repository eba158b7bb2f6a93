package dev.litefs.core.fuse;

/**
 * What a name in the mount refers to. The namespace is flat; a name is classified by suffix as LiteFS's
 * {@code ParseFilename} does, and anything without a known suffix is a database.
 */
record MountName(Kind kind, String db) {
  static final String LAG = ".lag";
  static final String PRIMARY = ".primary";

  /** The kinds of file in the mount, each served by its own class. */
  enum Kind {
    DATABASE(""), JOURNAL("-journal"), WAL("-wal"), SHM("-shm"), POS("-pos"), LOCK("-lock"), LAG(null), PRIMARY(null);

    final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }

    /** The name of this kind of file for database {@code db}. */
    String fileName(String db) {
      return db + suffix;
    }
  }

  /**
   * Parses a FUSE path ({@code /name}); returns {@code null} for the root, a nested path, or an empty name.
   */
  static MountName parse(String path) {
    if (path == null || path.length() < 2 || path.charAt(0) != '/' || path.indexOf('/', 1) >= 0) {
      return null;
    }
    String name = path.substring(1);
    if (name.equals(LAG)) {
      return new MountName(Kind.LAG, null);
    }
    if (name.equals(PRIMARY)) {
      return new MountName(Kind.PRIMARY, null);
    }
    for (Kind k : new Kind[] {Kind.JOURNAL, Kind.WAL, Kind.SHM, Kind.POS, Kind.LOCK}) {
      if (name.endsWith(k.suffix) && name.length() > k.suffix.length()) {
        return new MountName(k, name.substring(0, name.length() - k.suffix.length()));
      }
    }
    return new MountName(Kind.DATABASE, name);
  }
}
