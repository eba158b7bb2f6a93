package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.PrimaryChangedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationEventPublisher;

/** Records the {@link PrimaryChangedEvent}s a {@link SidecarLiteFs} publishes. */
final class CapturingPublisher implements ApplicationEventPublisher {
  final List<PrimaryChangedEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void publishEvent(Object event) {
    if (event instanceof PrimaryChangedEvent e) {
      events.add(e);
    }
  }
}
