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
  /** Subscriptions their subscriber has not closed yet, ended or not. */
  private final Set<Subscription> open = new CopyOnWriteArraySet<>();
  private final Supplier<NodeEvent.Init> init;
  private boolean closed;

  EventHub(Supplier<NodeEvent.Init> init) {
    this.init = init;
  }

  /** A subscriber's queue of events. */
  public final class Subscription implements AutoCloseable {
    /** Wakes a subscriber waiting in {@link #next} when the hub closes; never handed out. */
    private static final NodeEvent.Init END = new NodeEvent.Init(false, "");

    /** One slot more than the buffer, for {@link #END}. */
    private final BlockingQueue<NodeEvent> queue = new ArrayBlockingQueue<>(BUFFER + 2);
    private volatile boolean overflowed;
    private volatile boolean ended;

    private Subscription() {}

    /**
     * The next event, waiting up to {@code timeoutMillis}; {@code null} on timeout or once the hub closed.
     *
     * @throws IllegalStateException once the subscriber has fallen too far behind and was dropped
     */
    public NodeEvent next(long timeoutMillis) throws InterruptedException {
      NodeEvent e = ended ? queue.poll() : queue.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (e == END) {
        return null;
      }
      if (e == null && overflowed) {
        throw new IllegalStateException("event stream buffer exceeded, disconnecting");
      }
      return e;
    }

    /** Whether the hub has closed and every event before that was taken: the subscriber should stop. */
    public boolean isEnded() {
      return ended && queue.isEmpty();
    }

    void offer(NodeEvent e) {
      if (!overflowed && !ended && (queue.size() > BUFFER || !queue.offer(e))) {
        overflowed = true;
        subscribers.remove(this);
      }
    }

    void end() {
      ended = true;
      queue.offer(END);
    }

    @Override
    public void close() {
      subscribers.remove(this);
      open.remove(this);
    }
  }

  /** Subscribes; the first event is {@code init}. */
  public Subscription subscribe() {
    Subscription s = new Subscription();
    open.add(s);
    synchronized (this) {
      s.offer(init.get());
      if (closed) {
        s.end();
      } else {
        subscribers.add(s);
      }
    }
    return s;
  }

  /**
   * Ends every subscription (after the events already queued) and any made from now on: the node is stopping,
   * and {@code /events} requests must finish before the HTTP server stops, or its stop times out.
   */
  synchronized void close() {
    closed = true;
    for (Subscription s : subscribers) {
      s.end();
    }
    subscribers.clear();
  }

  /** Whether every subscriber has closed its subscription (after {@link #close()}: finished its response). */
  boolean allClosed() {
    return open.isEmpty();
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
