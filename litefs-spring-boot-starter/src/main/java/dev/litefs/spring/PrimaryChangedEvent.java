package dev.litefs.spring;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Published when this node gains or loses the primary lease, or when a replica learns of a different primary
 * (or loses it). Published in order, one at a time, on the starter's {@code litefs-role} thread, and only
 * after the application context has started: read {@link LiteFs#isPrimary()} for the state at startup.
 */
public class PrimaryChangedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final boolean primary;
  private final boolean wasPrimary;
  private final @Nullable String primaryHostname;

  /**
   * Creates the event.
   *
   * @param source the {@link LiteFs} bean
   * @param primary whether this node is now the primary
   * @param wasPrimary whether it was before
   * @param primaryHostname the primary's hostname now, or {@code null} when none is known
   */
  public PrimaryChangedEvent(Object source, boolean primary, boolean wasPrimary, @Nullable String primaryHostname) {
    super(source);
    this.primary = primary;
    this.wasPrimary = wasPrimary;
    this.primaryHostname = primaryHostname;
  }

  /** Returns {@code true} when this node is now the primary. */
  public boolean isPrimary() {
    return primary;
  }

  /** Returns {@code true} when this node was the primary before this change. */
  public boolean wasPrimary() {
    return wasPrimary;
  }

  /** Returns {@code true} when this node has just become the primary. */
  public boolean isPromotion() {
    return primary && !wasPrimary;
  }

  /** Returns {@code true} when this node has just stopped being the primary. */
  public boolean isDemotion() {
    return !primary && wasPrimary;
  }

  /** Returns the primary's hostname now, or empty when no primary is known. */
  public Optional<String> primaryHostname() {
    return Optional.ofNullable(primaryHostname);
  }

  @Override
  public String toString() {
    return "PrimaryChangedEvent[primary=" + primary + ", wasPrimary=" + wasPrimary + ", primaryHostname="
        + primaryHostname + "]";
  }
}
