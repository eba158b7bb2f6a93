package dev.litefs.core.node;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * Fans node events out to {@code /events} subscribers. Each subscriber first gets an {@code init} event with
 * the node's role, then every event in order. A subscriber that falls 1024 events behind is dropped, as
 * LiteFS drops it ("event stream buffer exceeded"), rather than slowing the node down.
 */
public final class EventHub {
  /** LiteFS's per-subscriber buffer. */
  static final int BUFFER = 1024;

  private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
  private final Supplier<NodeEvent.Init> init;

  EventHub(Supplier<NodeEvent.Init> init) {
    this.init = init;
  }

  /** A subscriber's queue of events. */
  public final class Subscription implements AutoCloseable {
    private final BlockingQueue<NodeEvent> queue = new ArrayBlockingQueue<>(BUFFER + 1);
    private volatile boolean overflowed;

    private Subscription() {}

    /**
     * The next event, waiting up to {@code timeoutMillis}; {@code null} on timeout.
     *
     * @throws IllegalStateException once the subscriber has fallen too far behind and was dropped
     */
    public NodeEvent next(long timeoutMillis) throws InterruptedException {
      NodeEvent e = queue.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (e == null && overflowed) {
        throw new IllegalStateException("event stream buffer exceeded, disconnecting");
      }
      return e;
    }

    void offer(NodeEvent e) {
      if (!overflowed && !queue.offer(e)) {
        overflowed = true;
        subscribers.remove(this);
      }
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }

  /** Subscribes; the first event is {@code init}. */
  public Subscription subscribe() {
    Subscription s = new Subscription();
    synchronized (this) {
      s.offer(init.get());
      subscribers.add(s);
    }
    return s;
  }

  synchronized void publish(NodeEvent e) {
    for (Subscription s : subscribers) {
      s.offer(e);
    }
  }

  int subscriberCount() {
    return subscribers.size();
  }
}
