package io.racetrace.cli;

import io.racetrace.analyzer.cli.ExitCodes;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code racetrace dump QUEUE_DIR}: every record of a capture as one line of text. */
@Command(name = "dump", mixinStandardHelpOptions = true, description = "Print every record of a capture queue as text.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:printed", "2:usage error, or not a readable capture queue (one line naming the file)"})
final class DumpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUEUE_DIR")
  Path queue;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N rows.")
  long limit = Long.MAX_VALUE;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long rows = 0;
    try (TraceCursor c = TraceCursor.open(queue)) {
      TraceCursor.Record r;
      while (rows < limit && (r = c.next()) != null) {
        switch (r) {
          case HEADER: out.println("header   " + c.header()); break;
          case ANCHOR: out.println("anchor   wall=" + c.toWallNanos(0) + "@mono0"); break;
          case THREAD: out.println("thread   " + c.threadId() + " " + c.threadName()); break;
          case PROBE: out.println("probe    " + c.probe()); break;
          case COUNTERS: out.println("counters " + c.counters()); break;
          case FOOTER: out.println("footer   " + c.counters()); break;
          case SAMPLING: out.println("sampling " + c.sampling()); break;
          default:
            rows++;
            out.println("row      " + c.row());
        }
      }
      if (!c.sawFooter() && rows < limit) {
        out.println("(no footer: the capture was not closed cleanly, or is still being written)");
      }
    } catch (TraceFormatException e) {
      throw new UserException(RacetraceMain.USAGE, e.getMessage());
    }
    return RacetraceMain.OK;
  }
}
