package dev.litefs.spring;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown on a replica by {@link LiteFs#requirePrimary()} and by {@link PrimaryOnly} methods. Inside a web
 * request whose response is not committed yet, the starter answers it by sending the request to the primary.
 */
public class NotPrimaryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String primaryHostname;

  /**
   * Creates the exception.
   *
   * @param message what needed the primary
   * @param primaryHostname the primary's hostname, or {@code null} when no primary is known
   */
  public NotPrimaryException(String message, @Nullable String primaryHostname) {
    super(message);
    this.primaryHostname = primaryHostname;
  }

  /** Returns the primary's hostname at the time of the exception, or empty when no primary was known. */
  public Optional<String> primaryHostname() {
    return Optional.ofNullable(primaryHostname);
  }
}
