package dev.litefs.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code litefs version}: prints the version, as upstream's {@code litefs version} does. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class VersionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().println(version());
  }

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return "litefs-java " + (v == null ? "(development build)" : v) + ", wire-compatible with LiteFS v0.5.14";
  }

  /** Supplies {@code --version} output for every command. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
