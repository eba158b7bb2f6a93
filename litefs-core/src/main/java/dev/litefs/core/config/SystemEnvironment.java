package dev.litefs.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The process environment, as {@code litefs mount} expands it: LiteFS sets {@code HOSTNAME} to the machine's
 * host name when it is unset or empty, so that configs can use {@code ${HOSTNAME}}, and so does this lookup.
 */
public final class SystemEnvironment implements Function<String, String> {
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  /** Returns the variable's value, or {@code null} when it is unset. */
  @Override
  public String apply(String name) {
    String value = System.getenv(name);
    if (name.equals("HOSTNAME") && (value == null || value.isEmpty())) {
      return hostname();
    }
    return value;
  }

  /** The host name as Go's {@code os.Hostname} reads it on Linux; the JDK's lookup elsewhere. */
  private static String hostname() {
    try {
      return Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        return "";
      }
    }
  }
}
