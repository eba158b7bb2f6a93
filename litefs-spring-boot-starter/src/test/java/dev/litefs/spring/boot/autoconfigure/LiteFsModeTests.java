package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.LiteFsMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** How {@code litefs.mode} is resolved. */
class LiteFsModeTests {
  @TempDir
  Path tmp;

  final LiteFsProperties props = new LiteFsProperties();
  final MockEnvironment env = new MockEnvironment();

  LiteFsMode resolve(FuseSupport fuse) {
    props.setMountDir(props.getMountDir().equals(Path.of("/litefs")) ? tmp.resolve("mnt") : props.getMountDir());
    return LiteFsNodes.resolveMode(props, env, fuse);
  }

  @Test
  void autoWithNothingConfiguredIsDevMode() {
    assertThat(resolve(FuseSupportTests.complete(tmp))).isEqualTo(LiteFsMode.DEV);
  }

  @Test
  void autoWithAManagedLeaseAndFuseIsManagedMode() {
    props.getManaged().getLease().setType("etcd");
    assertThat(resolve(FuseSupportTests.complete(tmp))).isEqualTo(LiteFsMode.MANAGED);
  }

  @Test
  void autoWithAManagedConfigFileAndFuseIsManagedMode() {
    props.getManaged().setConfig(Path.of("/etc/litefs.yml"));
    assertThat(resolve(FuseSupportTests.complete(tmp))).isEqualTo(LiteFsMode.MANAGED);
  }

  @Test
  void autoOnALiveMountIsSidecarModeEvenWhenManagedIsConfigured() {
    try (FakeLiteFs fake = FakeLiteFs.replica(tmp.resolve("live"), "node1")) {
      props.setMountDir(fake.dir());
      props.getManaged().getLease().setType("static");
      assertThat(resolve(FuseSupportTests.complete(tmp))).isEqualTo(LiteFsMode.SIDECAR);
    }
  }

  @Test
  void autoWithAManagedLeaseButNoFuseIsDevMode() {
    props.getManaged().getLease().setType("static");
    assertThat(resolve(LiteFsAutoConfigurationTests.noFuse(tmp))).isEqualTo(LiteFsMode.DEV);
  }

  @Test
  void explicitManagedWithFuseIsManagedModeWithoutAnyManagedProperty() {
    props.setMode(LiteFsMode.MANAGED);
    assertThat(resolve(FuseSupportTests.complete(tmp))).isEqualTo(LiteFsMode.MANAGED);
  }
}
