package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.NotPrimaryException;
import dev.litefs.spring.PrimaryOnly;
import dev.litefs.spring.test.TestLiteFs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** The @PrimaryOnly advisor on plain beans, with a {@link TestLiteFs}. */
class PrimaryOnlyMethodInterceptorTests {

  private static Service proxy(LiteFs liteFs) {
    DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
    factory.registerSingleton("liteFs", liteFs);
    PrimaryOnlyBeanPostProcessor processor = new PrimaryOnlyBeanPostProcessor(factory.getBeanProvider(LiteFs.class));
    return (Service) processor.postProcessAfterInitialization(new Service(), "service");
  }

  @Test
  void onThePrimaryAnnotatedMethodsRun() {
    Service service = proxy(TestLiteFs.primary("app.db"));
    service.job();
    assertThat(service.compute()).isEqualTo(42);
    assertThat(service.runs()).isEqualTo(2);
  }

  @Test
  void onAReplicaVoidMethodsAreSkippedOutsideRequestsAndOthersThrow() {
    Service service = proxy(TestLiteFs.replicaOf("node1", "app.db"));
    service.job();
    assertThat(service.runs()).isZero();
    assertThatExceptionOfType(NotPrimaryException.class).isThrownBy(service::compute)
        .withMessageContaining("Service.compute").satisfies(e -> assertThat(e.primaryHostname()).contains("node1"));
    assertThat(service.unannotated()).isEqualTo("free");
  }

  @Test
  void insideAWebRequestEvenVoidMethodsThrowSoTheRequestIsReplayed() {
    Service service = proxy(TestLiteFs.replicaOf("node1", "app.db"));
    RequestWriteMarker.begin();
    try {
      assertThatExceptionOfType(NotPrimaryException.class).isThrownBy(service::job);
    } finally {
      RequestWriteMarker.end();
    }
  }

  @Test
  void onThePrimaryAnAnnotatedCallMarksTheRequestAsAWrite() {
    Service service = proxy(TestLiteFs.primary("app.db"));
    boolean[] wrote = RequestWriteMarker.begin();
    try {
      service.compute();
      assertThat(wrote[0]).isTrue();
    } finally {
      RequestWriteMarker.end();
    }
  }

  @Test
  void theTestLiteFsFollowsTheRoleAndPositionsTheTestSets() throws Exception {
    TestLiteFs liteFs = TestLiteFs.replicaOf(null, "app.db");
    assertThatExceptionOfType(NotPrimaryException.class).isThrownBy(liteFs::requirePrimary)
        .satisfies(e -> assertThat(e.primaryHostname()).isEmpty());
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return liteFs.awaitPosition("app.db", Txid.of(3), Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    liteFs.setPosition("app.db", 3);
    assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    liteFs.setPrimary(true, null);
    liteFs.requirePrimary();
    assertThat(liteFs.primaryHostname()).contains("node2");
  }

  static class Service {
    private final AtomicInteger runs = new AtomicInteger();

    @PrimaryOnly
    public void job() {
      runs.incrementAndGet();
    }

    @PrimaryOnly
    public int compute() {
      runs.incrementAndGet();
      return 42;
    }

    public String unannotated() {
      return "free";
    }

    public int runs() {
      return runs.get();
    }
  }
}
