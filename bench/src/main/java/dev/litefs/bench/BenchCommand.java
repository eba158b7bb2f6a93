package dev.litefs.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code litefs-bench}: benchmarks of litefs-java's hot paths, one subcommand each. Each prints the
 * machine it ran on and its numbers; {@code docs/performance.md} records them.
 */
@Command(
    name = "litefs-bench",
    mixinStandardHelpOptions = true,
    subcommands = {ChecksumCommand.class, FuseCommand.class, ReplicationCommand.class, CommandLine.HelpCommand.class},
    versionProvider = BenchCommand.JarVersion.class,
    description = "Benchmarks of litefs-java's hot paths.")
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Runs the benchmark named by {@code args} and exits with its status (2 for a usage error). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  /** The version written into the jar's manifest by the build. */
  static final class JarVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BenchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"litefs-bench " + (v == null ? "(not built as a jar)" : v)};
    }
  }

  /** Without a subcommand there is nothing to measure: reports a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand, e.g. 'checksum'");
  }
}
