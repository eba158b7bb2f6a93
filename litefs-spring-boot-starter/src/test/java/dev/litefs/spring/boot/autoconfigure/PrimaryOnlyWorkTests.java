package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.NotPrimaryException;
import dev.litefs.spring.PrimaryChangedEvent;
import dev.litefs.spring.PrimaryOnly;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Primary-only scheduled jobs and lifecycle beans in a real application context on a simulated mount: they
 * run only while the node is primary and follow the role as LiteFS's events change it.
 */
class PrimaryOnlyWorkTests {
  private FakeLiteFs fake;
  private ConfigurableApplicationContext context;

  private ConfigurableApplicationContext start(FakeLiteFs mount) {
    this.fake = mount;
    context = new SpringApplicationBuilder(WorkApp.class).web(WebApplicationType.NONE)
        .properties(mount.propertyArray("app.db"))
        .properties("spring.main.banner-mode=off", "litefs.primary-only.stop-timeout=5s")
        .run();
    return context;
  }

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void onAReplicaPrimaryOnlyWorkDoesNotRunWhileOtherWorkDoes() {
    start(FakeLiteFs.replica("node1"));
    Jobs jobs = context.getBean(Jobs.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.everywhere() >= 5);
    assertThat(jobs.primaryOnlyRuns()).isZero();
    assertThat(context.getBean("worker", Worker.class).isRunning()).isFalse();
    assertThat(context.getBean("queueListener", ListenerContainer.class).isRunning()).isFalse();
  }

  @Test
  void promotionStartsPrimaryOnlyWorkAndDemotionStopsItWithinASecond() {
    start(FakeLiteFs.replica("node1"));
    Jobs jobs = context.getBean(Jobs.class);
    Worker worker = context.getBean("worker", Worker.class);
    ListenerContainer listener = context.getBean("queueListener", ListenerContainer.class);

    fake.promote();
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.isRunning() && listener.isRunning());
    await().atMost(Duration.ofSeconds(5)).until(() -> jobs.primaryOnlyRuns() >= 3);

    long demotedAt = System.nanoTime();
    fake.demoteTo("node3");
    await().atMost(Duration.ofSeconds(1)).until(() -> !worker.isRunning() && !listener.isRunning());
    assertThat(Duration.ofNanos(System.nanoTime() - demotedAt)).isLessThan(Duration.ofSeconds(1));
    assertThat(worker.finishedInFlightWork).isTrue();

    // A run already under way when the role changed may finish; after that, none start.
    int everywhere = jobs.everywhere();
    await().atMost(Duration.ofSeconds(5)).until(() -> jobs.everywhere() >= everywhere + 2);
    int settled = jobs.primaryOnlyRuns();
    await().atMost(Duration.ofSeconds(5)).until(() -> jobs.everywhere() >= everywhere + 7);
    assertThat(jobs.primaryOnlyRuns()).isEqualTo(settled);
  }

  @Test
  void onThePrimaryWorkStartsWithTheApplicationAndStopsWithIt() {
    start(FakeLiteFs.primary());
    Worker worker = context.getBean("worker", Worker.class);
    assertThat(worker.isRunning()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(Jobs.class).primaryOnlyRuns() >= 1);
    context.close();
    assertThat(worker.isRunning()).isFalse();
    assertThat(worker.finishedInFlightWork).isTrue();
  }

  @Test
  void primaryOnlyServiceMethodsThrowOnAReplicaOutsideRequestsUnlessVoid() {
    start(FakeLiteFs.replica("node1"));
    Jobs jobs = context.getBean(Jobs.class);
    assertThatExceptionOfType(NotPrimaryException.class).isThrownBy(jobs::computeOnPrimary)
        .satisfies(e -> assertThat(e.primaryHostname()).contains("node1"));
    jobs.fireAndForget();
    assertThat(jobs.fired()).isZero();
    assertThat(jobs.toString()).isEqualTo("Jobs");
  }

  @Test
  void listenersSeeRoleChangesInOrder() {
    start(FakeLiteFs.replica("node1"));
    fake.promote();
    fake.demoteTo("node3");
    Listener listener = context.getBean(Listener.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.size() == 2);
    assertThat(listener.events.get(0).isPromotion()).isTrue();
    assertThat(listener.events.get(1).isDemotion()).isTrue();
    assertThat(listener.events.get(1).primaryHostname()).contains("node3");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableScheduling
  static class WorkApp {
    @Bean
    Jobs jobs() {
      return new Jobs();
    }

    @Bean
    Worker worker() {
      return new Worker();
    }

    /** A lifecycle bean made primary-only by its @Bean method, as for a third-party listener container. */
    @Bean
    @PrimaryOnly
    ListenerContainer queueListener() {
      return new ListenerContainer();
    }

    @Bean
    Listener listener() {
      return new Listener();
    }
  }

  static class Jobs {
    final AtomicInteger everywhere = new AtomicInteger();
    final AtomicInteger primaryOnly = new AtomicInteger();
    final AtomicInteger fired = new AtomicInteger();

    @Scheduled(fixedDelay = 20)
    public void runEverywhere() {
      everywhere.incrementAndGet();
    }

    @PrimaryOnly
    @Scheduled(fixedDelay = 20)
    public void runOnPrimary() {
      primaryOnly.incrementAndGet();
    }

    @PrimaryOnly
    public int computeOnPrimary() {
      return 42;
    }

    @PrimaryOnly
    public void fireAndForget() {
      fired.incrementAndGet();
    }

    public int everywhere() {
      return everywhere.get();
    }

    public int primaryOnlyRuns() {
      return primaryOnly.get();
    }

    public int fired() {
      return fired.get();
    }

    @Override
    public String toString() {
      return "Jobs";
    }
  }

  /** A worker loop marked on its class. */
  @PrimaryOnly
  static class Worker extends LoopWorker {}

  /** An unannotated lifecycle class, as a library's listener container would be. */
  static class ListenerContainer extends LoopWorker {}

  /** A worker loop: stop(callback) lets the current unit of work finish, then reports. */
  abstract static class LoopWorker implements SmartLifecycle {
    private volatile java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(0);
    volatile boolean finishedInFlightWork;
    private volatile Thread loop;

    @Override
    public void start() {
      java.util.concurrent.CountDownLatch signal = new java.util.concurrent.CountDownLatch(1);
      stopSignal = signal;
      finishedInFlightWork = false;
      loop = new Thread(() -> {
        try {
          signal.await();
        } catch (InterruptedException e) {
          return;
        }
        finishedInFlightWork = true;
      }, "worker");
      loop.start();
    }

    @Override
    public void stop() {
      stopSignal.countDown();
      join();
    }

    @Override
    public void stop(Runnable callback) {
      stopSignal.countDown();
      new Thread(() -> {
        join();
        callback.run();
      }).start();
    }

    private void join() {
      Thread t = loop;
      if (t != null) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public boolean isRunning() {
      Thread t = loop;
      return t != null && t.isAlive();
    }
  }

  static class Listener {
    final List<PrimaryChangedEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(PrimaryChangedEvent event) {
      events.add(event);
    }
  }

  static LiteFs liteFs(ConfigurableApplicationContext context) {
    return context.getBean(LiteFs.class);
  }
}
