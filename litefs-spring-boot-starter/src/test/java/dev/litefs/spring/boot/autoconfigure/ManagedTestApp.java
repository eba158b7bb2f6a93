package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the managed-mode cluster tests run, each node in its own JVM: a {@code @PrimaryOnly} write, a
 * read, a primary-only {@code @Scheduled} job and a primary-only worker loop, and {@code /status} reporting what
 * ran here ({@code key=value} lines).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ManagedTestApp.Api.class, ManagedTestApp.Job.class, ManagedTestApp.Worker.class})
public class ManagedTestApp {

  public static void main(String[] args) {
    SpringApplication.run(ManagedTestApp.class, args);
  }

  @RestController
  static class Api {
    private final LiteFs liteFs;
    private final JdbcTemplate jdbc;
    private final Job job;
    private final Worker worker;

    Api(LiteFs liteFs, JdbcTemplate jdbc, Job job, Worker worker) {
      this.liteFs = liteFs;
      this.jdbc = jdbc;
      this.job = job;
      this.worker = worker;
      if (liteFs.isPrimary()) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, value TEXT NOT NULL, node TEXT NOT NULL)");
      }
    }

    @PrimaryOnly
    @PostMapping("/items")
    String create(@RequestBody String value) {
      jdbc.update("INSERT INTO items(value, node) VALUES (?, ?)", value, liteFs.hostname());
      return jdbc.queryForObject("SELECT max(id) FROM items", Long.class) + " on " + liteFs.hostname();
    }

    @GetMapping("/items/{id}")
    ResponseEntity<String> get(@PathVariable long id) {
      List<String> found = jdbc.queryForList("SELECT value FROM items WHERE id = ?", String.class, id);
      return found.isEmpty() ? ResponseEntity.notFound().build()
          : ResponseEntity.ok(found.get(0) + " read on " + liteFs.hostname());
    }

    @GetMapping("/status")
    String status() {
      return "hostname=" + liteFs.hostname() + "\nmode=" + liteFs.mode() + "\nconnected=" + liteFs.isConnected()
          + "\nprimary=" + liteFs.isPrimary()
          + "\nprimaryHostname=" + liteFs.primaryHostname().orElse("") + "\nticks=" + job.ticks()
          + "\nlastTick=" + job.lastTick() + "\nworkerRunning=" + worker.isRunning()
          + "\nworkerTicks=" + worker.ticks.get() + "\nlastWorkerTick=" + worker.lastTick.get()
          + "\nworkerStarts=" + worker.starts.get() + "\nworkerStops=" + worker.stops.get() + "\n";
    }
  }

  /** A primary-only scheduled job: skipped on replicas. Read through methods: the bean is a proxy. */
  @Component
  public static class Job {
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicLong lastTick = new AtomicLong();

    public int ticks() {
      return ticks.get();
    }

    public long lastTick() {
      return lastTick.get();
    }

    @PrimaryOnly
    @Scheduled(fixedDelay = 50)
    public void tick() {
      ticks.incrementAndGet();
      lastTick.set(System.currentTimeMillis());
    }
  }

  /** A primary-only worker loop: started on the primary, stopped on demotion. */
  @Component
  @PrimaryOnly
  public static class Worker implements SmartLifecycle {
    final AtomicInteger ticks = new AtomicInteger();
    final AtomicLong lastTick = new AtomicLong();
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    private final Object lock = new Object();
    private Thread thread;
    private volatile boolean running;

    @Override
    public void start() {
      synchronized (lock) {
        running = true;
        starts.incrementAndGet();
        thread = new Thread(this::loop, "test-worker");
        thread.start();
      }
    }

    private void loop() {
      while (running) {
        ticks.incrementAndGet();
        lastTick.set(System.currentTimeMillis());
        synchronized (lock) {
          try {
            lock.wait(20); // the worker's own pace between units of work
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    @Override
    public void stop() {
      Thread t;
      synchronized (lock) {
        running = false;
        lock.notifyAll();
        t = thread;
      }
      if (t != null) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      stops.incrementAndGet();
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
