package dev.litefs.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code litefs ltx} commands, run as a user would run them, on the captured LiteFS files. */
class LtxCommandsTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = LiteFsCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static String vector(String rel) {
    return Vectors.path(rel).toString();
  }

  @Test
  void dumpPrintsHeaderPagesAndTrailer() {
    Result r = run("ltx", "dump", vector("ltx/lz4/wal.db/0000000000000004-0000000000000004.ltx"));
    assertThat(r.code).isZero();
    assertThat(r.out)
        .contains("Flags:      0x00000001 (lz4)", "Commit:     6", "Min TXID:   0000000000000004 (4)",
            "Pre-apply:  bd7378d94660b8c7", "WAL offset: 12392", "WAL size:   24720", "WAL salt:   eb0bc346 6cb51b18",
            "Node ID:    2aac37bff5ae9551", "pgno=1", "pgno=6", "(6 pages)", "Post-apply: c0c7d55fd5c81b1f",
            "File checksum: ec05ff7c30c603bd");
  }

  @Test
  void verifyAcceptsEveryCapturedFile() {
    List<String> args = new ArrayList<>(List.of("ltx", "verify"));
    for (String db : Vectors.databases()) {
      Vectors.ltxFiles("raw", db).forEach(p -> args.add(p.toString()));
    }
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code).isZero();
    assertThat(r.out.lines()).hasSize(args.size() - 2).allMatch(l -> l.contains(": ok (TXID "));
  }

  @Test
  void verifyExitsOneNamingTheFirstBadFile() throws Exception {
    Path bad = tmp.resolve("bad.ltx");
    byte[] b = Files.readAllBytes(Vectors.path("ltx/raw/delete.db/0000000000000002-0000000000000002.ltx"));
    b[5000] ^= 1;
    Files.write(bad, b);
    Result r = run("ltx", "verify", vector("ltx/raw/delete.db/0000000000000001-0000000000000001.ltx"), bad.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out).contains("0000000000000001-0000000000000001.ltx: ok");
    assertThat(r.err).startsWith("litefs ltx verify: " + bad + ": file checksum mismatch: trailer has f85821c18c380867, computed ");
  }

  @Test
  void applyCreatesTheDatabaseAndPrintsThePosition() throws Exception {
    Path db = tmp.resolve("shrink.db");
    List<String> args = new ArrayList<>(List.of("ltx", "apply", "-db", db.toString()));
    Vectors.ltxFiles("lz4", "shrink.db").forEach(p -> args.add(p.toString()));
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.trim()).isEqualTo("0000000000000004/a81068d7865783d4");
    assertThat(Files.readAllBytes(db)).isEqualTo(Files.readAllBytes(Vectors.path("ltx/lz4/shrink.db/database")));
  }

  @Test
  void applyAcceptsTheDoubleDashSpellingAndDeletesOnACommitZeroFile() throws Exception {
    Path db = tmp.resolve("drop.db");
    List<String> args = new ArrayList<>(List.of("ltx", "apply", "--db", db.toString()));
    Vectors.ltxFiles("raw", "drop.db").forEach(p -> args.add(p.toString()));
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.trim()).isEqualTo("0000000000000003/8000000000000000");
    assertThat(db).doesNotExist();
  }

  @Test
  void applyRefusesAFileThatDoesNotFollowTheDatabase() {
    Path db = tmp.resolve("delete.db");
    List<Path> files = Vectors.ltxFiles("raw", "delete.db");
    Result r = run("ltx", "apply", "-db", db.toString(), files.get(0).toString(), files.get(2).toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("pre-apply checksum 9c0dc3974ae698aa does not match database checksum 8e59b0f9c947193f");
  }

  @Test
  void checksumPrintsWhatThePosFileShows() throws Exception {
    Result r = run("ltx", "checksum", vector("ltx/raw/wal.db/database"));
    assertThat(r.code).isZero();
    String pos = Files.readString(Vectors.path("pos/wal.db-pos.tx5"));
    assertThat(r.out.trim()).isEqualTo(pos.substring(17).trim());
  }

  @Test
  void checksumRefusesAFileThatIsNotADatabase() {
    Result r = run("ltx", "checksum", vector("README.md"));
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("not a SQLite database");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"ltx", "--help"},
        new String[] {"ltx", "dump", "--help"}, new String[] {"ltx", "verify", "-h"},
        new String[] {"ltx", "apply", "--help"}, new String[] {"ltx", "checksum", "--help"},
        new String[] {"version", "--help"})) {
      Result r = run(cmd);
      assertThat(r.code).isZero();
      assertThat(r.out).startsWith("Usage: litefs");
    }
  }

  @Test
  void aMissingArgumentIsAUsageErrorWithExitCode2() {
    Result r = run("ltx", "apply", "x.ltx");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("Missing required option: '--db=DB'");
  }
}
