package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryChangedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.Ordered;

/**
 * Starts the primary-only lifecycle beans while this node is primary and stops them when it is not, driven by
 * {@link PrimaryChangedEvent}s (no polling). Beans start in phase order and stop in reverse, each stop waiting
 * for in-flight work up to {@code litefs.primary-only.stop-timeout}. Runs after the listeners that must
 * precede primary-only work on promotion (litefs-flyway's migrations).
 */
final class PrimaryOnlyLifecycleController implements SmartLifecycle, ApplicationListener<PrimaryChangedEvent>, Ordered {
  private static final Logger log = LoggerFactory.getLogger(PrimaryOnlyLifecycleController.class);

  /** Listener order; migrations on promotion run before (litefs-flyway uses a higher precedence). */
  static final int ORDER = 0;

  private final LiteFs liteFs;
  private final ConfigurableListableBeanFactory beanFactory;
  private final Duration stopTimeout;
  private List<Lifecycle> beans = List.of();
  private List<String> names = List.of();
  private boolean running;
  private boolean active;

  PrimaryOnlyLifecycleController(LiteFs liteFs, ConfigurableListableBeanFactory beanFactory, Duration stopTimeout) {
    this.liteFs = liteFs;
    this.beanFactory = beanFactory;
    this.stopTimeout = stopTimeout;
  }

  @Override
  public synchronized void start() {
    List<String> found = new ArrayList<>(PrimaryOnlyLifecycleBeans.names(beanFactory));
    if (!found.isEmpty() && beanFactory.containsSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
        && !(beanFactory.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
            instanceof PrimaryOnlyLifecycleProcessor)) {
      throw new IllegalStateException("@PrimaryOnly lifecycle beans " + found + " need the LiteFS lifecycle "
          + "processor, but the application defines its own bean named 'lifecycleProcessor'; remove it or let it "
          + "skip these beans");
    }
    List<Lifecycle> resolved = new ArrayList<>();
    for (String name : found) {
      resolved.add(beanFactory.getBean(name, Lifecycle.class));
    }
    this.names = found;
    this.beans = resolved;
    running = true;
    reconcile();
  }

  @Override
  public synchronized void stop() {
    if (active) {
      deactivate("the application is stopping");
    }
    running = false;
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 0;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public synchronized void onApplicationEvent(PrimaryChangedEvent event) {
    if (running) {
      reconcile();
    }
  }

  /** Brings the beans in line with the current role (not the event's: several changes may have queued up). */
  private void reconcile() {
    boolean primary = liteFs.isPrimary();
    log.debug("Primary-only beans {}: primary={}, active={}", names, primary, active);
    if (primary && !active) {
      activate();
    } else if (!primary && active) {
      deactivate("this node is no longer the primary");
    }
  }

  private void activate() {
    active = true;
    List<Integer> order = order(false);
    for (int i : order) {
      Lifecycle bean = beans.get(i);
      if (!bean.isRunning()) {
        log.info("Starting primary-only bean '{}': this node is the primary", names.get(i));
        bean.start();
      }
    }
  }

  private void deactivate(String why) {
    active = false;
    for (int i : order(true)) {
      Lifecycle bean = beans.get(i);
      if (!bean.isRunning()) {
        continue;
      }
      log.info("Stopping primary-only bean '{}': {}", names.get(i), why);
      try {
        stopAndWait(names.get(i), bean);
      } catch (RuntimeException e) {
        log.error("Stopping primary-only bean '{}' failed", names.get(i), e);
      }
    }
  }

  private void stopAndWait(String name, Lifecycle bean) {
    if (!(bean instanceof SmartLifecycle smart)) {
      bean.stop();
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    smart.stop(done::countDown);
    try {
      if (!done.await(stopTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("Primary-only bean '{}' did not stop within {} (litefs.primary-only.stop-timeout)", name,
            stopTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Integer> order(boolean reverse) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < beans.size(); i++) {
      idx.add(i);
    }
    Comparator<Integer> byPhase = Comparator.comparingInt(i -> phase(beans.get(i)));
    idx.sort(reverse ? byPhase.reversed() : byPhase);
    return idx;
  }

  private static int phase(Lifecycle bean) {
    return bean instanceof SmartLifecycle s ? s.getPhase() : 0;
  }
}
