package dev.litefs.core.cli;

import dev.litefs.core.ltx.LtxApplier;
import dev.litefs.core.ltx.Pos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litefs ltx apply -db DB FILE...}: applies LTX files in order onto a database file. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply LTX files in order onto a database file, checking each file's pre-apply checksum "
        + "against the database before and its post-apply checksum after. A missing database is created; "
        + "a commit-0 file deletes it. Prints the final position.")
final class LtxApplyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-db", "--db"}, required = true, paramLabel = "DB", description = "The database file.")
  Path db;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "The LTX files, in TXID order.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    Pos pos = LtxApplier.apply(db, files);
    spec.commandLine().getOut().println(pos);
    return 0;
  }
}
