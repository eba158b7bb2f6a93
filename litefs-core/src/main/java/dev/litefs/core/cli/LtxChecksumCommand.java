package dev.litefs.core.cli;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.sqlite.DatabaseHeader;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code litefs ltx checksum DB}: prints LiteFS's rolling checksum of a database file. */
@Command(name = "checksum", mixinStandardHelpOptions = true,
    description = "Print LiteFS's checksum of a database file: the XOR of its page checksums, lock page "
        + "skipped, with bit 63 set. This is what a -pos file shows after the last transaction.")
final class LtxChecksumCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DB", description = "The SQLite database file.")
  Path db;

  @Override
  public Integer call() throws Exception {
    DatabaseHeader header = DatabaseHeader.read(db);
    Checksum c;
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      c = PageChecksums.database(ch, header.pageSize(), ch.size() / header.pageSize());
    }
    spec.commandLine().getOut().println(c);
    return 0;
  }
}
