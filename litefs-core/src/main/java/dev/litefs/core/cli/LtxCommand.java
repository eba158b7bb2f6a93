package dev.litefs.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code litefs ltx}: tools for LTX files, like upstream's {@code ltx} command. */
@Command(
    name = "ltx",
    mixinStandardHelpOptions = true,
    description = "Inspect, verify and apply LTX files, and checksum databases.",
    subcommands = {LtxDumpCommand.class, LtxVerifyCommand.class, LtxApplyCommand.class, LtxChecksumCommand.class})
final class LtxCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
