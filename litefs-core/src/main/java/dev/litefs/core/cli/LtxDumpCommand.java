package dev.litefs.core.cli;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code litefs ltx dump FILE}: prints an LTX file's header, page numbers and trailer. */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = "Print the header, page numbers and trailer of an LTX file, then check it.")
final class LtxDumpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The LTX file.")
  Path file;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      LtxDecoder d = new LtxDecoder(in, file.toString());
      LtxHeader h = d.header();
      out.println("# Header");
      out.printf("Flags:      0x%08x%s%n", h.flags(), h.isCompressed() ? " (lz4)" : "");
      out.printf("Page size:  %d%n", h.pageSize());
      out.printf("Commit:     %d%n", h.commit());
      out.printf("Min TXID:   %s (%d)%n", h.minTxid(), h.minTxid().value());
      out.printf("Max TXID:   %s (%d)%n", h.maxTxid(), h.maxTxid().value());
      out.printf("Timestamp:  %s (%d)%n", Instant.ofEpochMilli(h.timestamp()), h.timestamp());
      out.printf("Pre-apply:  %s%s%n", h.preApplyChecksum(), h.isSnapshot() ? " (snapshot)" : "");
      out.printf("WAL offset: %d%n", h.walOffset());
      out.printf("WAL size:   %d%n", h.walSize());
      out.printf("WAL salt:   %08x %08x%n", h.walSalt1(), h.walSalt2());
      out.printf("Node ID:    %016x%n", h.nodeId());
      out.println();
      out.println("# Pages");
      byte[] page = new byte[h.pageSize()];
      int n = 0;
      for (int pgno; (pgno = d.decodePage(page)) != 0; n++) {
        out.printf("pgno=%d%n", pgno);
      }
      out.printf("(%d pages)%n", n);
      out.println();
      out.flush();
      LtxTrailer t = d.finish();
      out.println("# Trailer");
      out.printf("Post-apply: %s%n", t.postApplyChecksum());
      out.printf("File checksum: %s%n", t.fileChecksum());
    }
    return 0;
  }
}
