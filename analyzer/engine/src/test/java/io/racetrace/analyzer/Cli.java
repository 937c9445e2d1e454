package io.racetrace.analyzer;

import io.racetrace.analyzer.cli.AnalyzerMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the analyzer's command line in-process, capturing what it prints. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = AnalyzerMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  /** The error output's lines. */
  String[] errLines() {
    return err.isEmpty() ? new String[0] : err.strip().split("\n");
  }
}
