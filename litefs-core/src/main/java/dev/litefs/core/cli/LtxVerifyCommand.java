package dev.litefs.core.cli;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code litefs ltx verify FILE...}: checks every rule and checksum; stops at the first problem. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check LTX files: header rules, page order, file checksum, snapshot checksum. "
        + "Exits 1 naming the first problem.")
final class LtxVerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "The LTX files.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (Path f : files) {
      LtxFileInfo info;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
        info = LtxDecoder.verify(in, f.toString());
      }
      out.printf("%s: ok (TXID %s-%s, commit %d, post-apply %s)%n", f, info.header().minTxid(),
          info.header().maxTxid(), info.header().commit(), info.trailer().postApplyChecksum());
    }
    return 0;
  }
}
