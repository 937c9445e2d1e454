package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.cli.AnalyzerMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} lists its exit codes, each with its meaning: found by walking the
 * command tree, so a command added without them fails here.
 */
class HelpExitCodesTest {
  /** Picocli's own help command prints the others' help; it has nothing to exit with but 0. */
  static final String PICOCLI_HELP = "help";

  @Test
  void everyCommandsHelp_listsItsExitCodes() {
    List<String> checked = new ArrayList<>();
    walk(RacetraceMain.commandLine(), new ArrayList<>(), checked, true);
    walk(AnalyzerMain.commandLine(), new ArrayList<>(), checked, false);
    assertEquals(List.of("racetrace", "racetrace attach", "racetrace detach", "racetrace probes",
        "racetrace probes check", "racetrace dump", "racetrace demo", "racetrace analyze", "racetrace compare",
        "racetrace report", "racetrace-analyzer", "racetrace-analyzer analyze", "racetrace-analyzer compare",
        "racetrace-analyzer report"), checked);
  }

  private void walk(CommandLine cl, List<String> path, List<String> checked, boolean racetrace) {
    Map<String, String> codes = cl.getCommandSpec().usageMessage().exitCodeList();
    String name = cl.getCommandSpec().qualifiedName();
    assertTrue(codes.containsKey("0") && codes.containsKey("2"), name + " lists 0 and 2: " + codes);
    String help = help(racetrace, path);
    int heading = help.indexOf("Exit codes");
    assertTrue(heading > 0, name + " --help has no exit codes:\n" + help);
    for (Map.Entry<String, String> c : codes.entrySet()) {
      String firstWords = c.getValue().substring(0, Math.min(30, c.getValue().length()));
      Pattern line = Pattern.compile("(?m)^\\s+" + c.getKey() + "\\s+" + Pattern.quote(firstWords));
      assertTrue(line.matcher(help.substring(heading)).find(), name + " --help lists " + c + ":\n" + help);
    }
    checked.add(name);
    for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
      if (!sub.getKey().equals(PICOCLI_HELP)) {
        List<String> p = new ArrayList<>(path);
        p.add(sub.getKey());
        walk(sub.getValue(), p, checked, racetrace);
      }
    }
  }

  /** The help as a user gets it: {@code racetrace SUB... --help}, exit 0. */
  private static String help(boolean racetrace, List<String> path) {
    CommandLine cl = racetrace ? RacetraceMain.commandLine() : AnalyzerMain.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    assertEquals(0, cl.execute(args.toArray(new String[0])), String.join(" ", args));
    return out.toString();
  }
}
