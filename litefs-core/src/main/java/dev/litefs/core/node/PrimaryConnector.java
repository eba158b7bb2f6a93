package dev.litefs.core.node;

import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Opens a replica's {@code /stream} to the primary; the HTTP node API client implements it. */
public interface PrimaryConnector {
  /** An open stream: the frames, and the cluster ID the primary answered with. */
  interface Stream extends AutoCloseable {
    InputStream body();

    Optional<String> clusterId();

    @Override
    void close();
  }

  /**
   * Posts this node's positions to {@code advertiseUrl}/stream.
   *
   * @throws IOException if the primary cannot be reached or refuses (the message says why)
   */
  Stream open(String advertiseUrl, Map<String, Pos> positions, Set<String> filter) throws IOException;

  /** Takes (or takes again) the primary's HALT lock {@code id} on {@code db} ({@code POST /halt}). */
  HaltLock halt(String advertiseUrl, String db, long id) throws IOException;

  /** Releases the primary's HALT lock ({@code DELETE /halt}). */
  void unhalt(String advertiseUrl, String db, long id) throws IOException;

  /** Sends a transaction written under HALT lock {@code id} to the primary ({@code POST /tx}). */
  void forwardTransaction(String advertiseUrl, String db, long id, java.nio.file.Path ltx) throws IOException;

  /** Asks the primary at {@code advertiseUrl} to hand its lease to node {@code nodeId} ({@code /handoff}). */
  void requestHandoff(String advertiseUrl, long nodeId) throws IOException;
}
