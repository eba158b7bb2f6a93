package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.NotPrimaryException;
import dev.litefs.spring.PrimaryChangedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sidecar mode against a simulated mount and event stream, without Spring. */
class SidecarLiteFsTests {
  private FakeLiteFs fake;
  private SidecarLiteFs node;
  private final CapturingPublisher publisher = new CapturingPublisher();

  private SidecarLiteFs start(FakeLiteFs mount, String... dbs) throws Exception {
    this.fake = mount;
    LiteFsProperties.Sidecar config = new LiteFsProperties.Sidecar();
    config.setEventsUrl(mount.eventsUrl());
    config.setReconnectMinDelay(Duration.ofMillis(10));
    config.setReconnectMaxDelay(Duration.ofMillis(100));
    config.setPositionRecheckInterval(Duration.ofMillis(20));
    node = new SidecarLiteFs("node2", List.of(dbs), config, new MountFiles(mount.dir()), new RolePublisher(publisher));
    node.afterPropertiesSet();
    node.start();
    return node;
  }

  @AfterEach
  void close() {
    if (node != null) {
      node.stop();
      node.destroy();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void aReplicaKnowsItsPrimaryFromTheMountAndTheStream() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    assertThat(node.isPrimary()).isFalse();
    assertThat(node.primaryHostname()).contains("node1");
    assertThat(node.isConnected()).isTrue();
    assertThat(node.isSynced()).isTrue();
    assertThat(node.lag()).contains(Duration.ofMillis(12));
    assertThatExceptionOfType(NotPrimaryException.class).isThrownBy(node::requirePrimary)
        .satisfies(e -> assertThat(e.primaryHostname()).contains("node1"));
  }

  @Test
  void aPrimaryIsPrimaryAndNamesItself() throws Exception {
    start(FakeLiteFs.primary(), "app.db");
    assertThat(node.isPrimary()).isTrue();
    assertThat(node.primaryHostname()).contains("node2");
    assertThat(node.lag()).contains(Duration.ZERO);
    node.requirePrimary();
  }

  @Test
  void primaryChangeEventsFlipTheRoleAndArePublishedInOrder() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.promote();
    await().atMost(Duration.ofSeconds(5)).until(node::isPrimary);
    fake.demoteTo("node3");
    await().atMost(Duration.ofSeconds(5)).until(() -> node.primaryHostname().orElse("").equals("node3"));
    await().atMost(Duration.ofSeconds(5)).until(() -> publisher.events.size() == 2);
    PrimaryChangedEvent promotion = publisher.events.get(0);
    assertThat(promotion.isPromotion()).isTrue();
    assertThat(promotion.primaryHostname()).contains("node2");
    PrimaryChangedEvent demotion = publisher.events.get(1);
    assertThat(demotion.isDemotion()).isTrue();
    assertThat(demotion.primaryHostname()).contains("node3");
  }

  @Test
  void listenersSeeTheNewRoleThroughTheBeanWhenTheyGetTheEvent() throws Exception {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    java.util.List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    SidecarLiteFs[] holder = new SidecarLiteFs[1];
    LiteFsProperties.Sidecar config = new LiteFsProperties.Sidecar();
    config.setEventsUrl(mount.eventsUrl());
    this.fake = mount;
    node = new SidecarLiteFs("node2", List.of("app.db"), config, new MountFiles(mount.dir()),
        new RolePublisher(event -> seen.add(holder[0].isPrimary() && !holder[0].primaryWorkAllowed())));
    holder[0] = node;
    node.afterPropertiesSet();
    node.start();
    for (int round = 0; round < 10; round++) {
      int before = seen.size();
      mount.promote();
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == before + 1);
      // The promotion's listener saw isPrimary() true, while primary-only work still waited for it.
      assertThat(seen.get(before)).as("promotion %d", round).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(node::primaryWorkAllowed);
      mount.demoteTo("node1");
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == before + 2);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !node.isPrimary() && !node.primaryWorkAllowed());
  }

  @Test
  void aReplicaWhosePrimaryIsGoneKnowsNoPrimary() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.losePrimary();
    await().atMost(Duration.ofSeconds(5)).until(() -> node.primaryHostname().isEmpty());
    assertThat(node.isPrimary()).isFalse();
  }

  @Test
  void anInvalidHostnameInAnEventMeansAnUnknownPrimary() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":false,\"hostname\":\"evil\\r\\nX-Injected: 1\"}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> node.primaryHostname().isEmpty());
  }

  @Test
  void awaitPositionIsWokenByTxEvents() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.commit("app.db", 4);
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> awaitTxid(node, "app.db", 7, Duration.ofSeconds(10)));
    fake.commit("app.db", 5);
    fake.commit("app.db", 7);
    assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(node.position("app.db")).isEqualTo(Pos.of(7, FakeLiteFs.checksum(7)));
  }

  @Test
  void awaitPositionIsCorrectWithoutEventsByRereadingThePositionFile() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> awaitTxid(node, "app.db", 3, Duration.ofSeconds(10)));
    fake.writePosition("app.db", 3);
    assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitPositionGivesUpAtItsTimeout() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    long t0 = System.nanoTime();
    assertThat(node.awaitPosition("app.db", Txid.of(9), Duration.ofMillis(150))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(140), Duration.ofSeconds(3));
  }

  @Test
  void awaitPositionReturnsAtOnceOnThePrimary() throws Exception {
    start(FakeLiteFs.primary(), "app.db");
    assertThat(node.awaitPosition("app.db", Txid.of(1_000_000), Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void unknownDatabasesAreRefusedByName() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> node.position("other.db")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.db").hasMessageContaining("app.db");
  }

  @Test
  void aDroppedStreamIsReconnectedAndChangesMadeMeanwhileAreSeen() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.refuseConnections(true);
    fake.dropConnections();
    await().atMost(Duration.ofSeconds(5)).until(() -> !node.isConnected());
    // While the stream is down LiteFS changes primaries; only the files say so.
    fake.demoteTo("node3");
    await().atMost(Duration.ofSeconds(5)).until(() -> node.primaryHostname().orElse("").equals("node3"));
    fake.refuseConnections(false);
    await().atMost(Duration.ofSeconds(5)).until(node::isConnected);
    assertThat(fake.connections()).isGreaterThanOrEqualTo(2);
    fake.promote();
    await().atMost(Duration.ofSeconds(5)).until(node::isPrimary);
  }

  @Test
  void garbageOnTheStreamIsSkippedAndLaterEventsStillApply() throws Exception {
    start(FakeLiteFs.replica("node1"), "app.db");
    fake.send("this is not json");
    fake.send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":\"yes\"}}");
    fake.send("{".repeat(50));
    fake.send("x".repeat(20_000));
    fake.send("\u0000\u0001\u0002");
    fake.promote();
    await().atMost(Duration.ofSeconds(5)).until(node::isPrimary);
    assertThat(node.isConnected()).isTrue();
    assertThat(fake.connections()).isEqualTo(1);
  }

  @Test
  void withoutAnEventServerTheRoleComesFromTheFiles() throws Exception {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    mount.refuseConnections(true);
    LiteFsProperties.Sidecar config = new LiteFsProperties.Sidecar();
    config.setEventsUrl(mount.eventsUrl());
    config.setInitialConnectTimeout(Duration.ofMillis(100));
    this.fake = mount;
    node = new SidecarLiteFs("node2", List.of("app.db"), config, new MountFiles(mount.dir()), new RolePublisher(publisher));
    node.afterPropertiesSet();
    assertThat(node.isPrimary()).isFalse();
    assertThat(node.primaryHostname()).contains("node1");
    assertThat(node.isConnected()).isFalse();
  }

  private static boolean awaitTxid(SidecarLiteFs node, String db, long txid, Duration timeout) {
    try {
      return node.awaitPosition(db, Txid.of(txid), timeout);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
