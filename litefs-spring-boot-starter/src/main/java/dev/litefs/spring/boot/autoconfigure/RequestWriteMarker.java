package dev.litefs.spring.boot.autoconfigure;

/**
 * Tells the web filter that the request on this thread needed the primary (it passed
 * {@link dev.litefs.spring.LiteFs#requirePrimary()} or a {@code @PrimaryOnly} check), so its response must
 * carry the read-your-writes cookie even when it was a GET. The filter opens a marker per request; outside a
 * request every call is a no-op.
 */
final class RequestWriteMarker {
  private static final ThreadLocal<boolean[]> CURRENT = new ThreadLocal<>();

  private RequestWriteMarker() {}

  static boolean[] begin() {
    boolean[] marker = new boolean[1];
    CURRENT.set(marker);
    return marker;
  }

  static void end() {
    CURRENT.remove();
  }

  static void markWrite() {
    boolean[] marker = CURRENT.get();
    if (marker != null) {
      marker[0] = true;
    }
  }

  /** Returns {@code true} when this thread is handling a web request (inside the starter's filter). */
  static boolean inRequest() {
    return CURRENT.get() != null;
  }
}
