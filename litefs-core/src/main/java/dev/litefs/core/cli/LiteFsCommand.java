package dev.litefs.core.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code litefs} command. Options take Go-style single dashes as well as double dashes
 * ({@code -config} and {@code --config}), so commands written for upstream LiteFS keep working.
 */
@Command(
    name = "litefs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Replicated SQLite for the JVM, wire-compatible with LiteFS.",
    subcommands = {
        MountCommand.class,
        ImportCommand.class,
        ExportCommand.class,
        RunCommand.class,
        InitCommand.class,
        LtxCommand.class,
        VersionCommand.class,
        CommandLine.HelpCommand.class
    })
public final class LiteFsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    configureLogging(java.util.Arrays.asList(args).contains("-debug") || java.util.Arrays.asList(args).contains("--debug"));
    System.exit(run(args));
  }

  /** One line per event on stderr, with time and level, unless the user configured the logger otherwise. */
  private static void configureLogging(boolean debug) {
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Runs the command line and returns its exit code, for tests and launchers. */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  /** Returns the configured command line: errors are printed as one line naming the problem. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new LiteFsCommand());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
      err.flush();
      return 1;
    });
    return cl;
  }

  private static String describe(Throwable ex) {
    String msg = ex.getMessage();
    return msg == null || msg.isBlank() ? ex.toString() : msg;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
