package io.racetrace.analyzer.cli;

import io.racetrace.trace.TraceFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;

/** Runs a command body and turns every failure into one line on stderr and exit code 2. */
final class Run {
  private Run() {}

  interface Body {
    int run() throws Exception;
  }

  static int guarded(PrintWriter err, boolean debug, String cmd, Body body) {
    try {
      return body.run();
    } catch (TraceFormatException e) {
      err.println("racetrace " + cmd + ": " + oneLine(e.getMessage()));
    } catch (FileSystemException e) {
      err.println("racetrace " + cmd + ": " + e.getFile() + ": " + (e.getReason() != null ? e.getReason()
          : e.getClass().getSimpleName()));
    } catch (IOException e) {
      err.println("racetrace " + cmd + ": " + oneLine(e.getMessage()));
    } catch (OutOfMemoryError e) {
      err.println("racetrace " + cmd + ": out of memory (raise -Xmx, or lower --dedup-horizon-s): " + e.getMessage());
    } catch (Exception | Error e) {
      if (missingOpens(e)) {
        err.println("racetrace " + cmd + ": Chronicle Queue cannot open files on this JVM without its --add-opens and"
            + " --add-exports flags: run `java -jar racetrace-analyzer.jar` (its manifest carries them) or pass them"
            + " (see analyzer/README.md)");
        err.flush();
        return ExitCodes.INPUT_ERROR;
      }
      err.println("racetrace " + cmd + ": internal error: " + e.getClass().getName() + ": " + oneLine(e.getMessage()));
      if (debug) {
        e.printStackTrace(err);
      }
    }
    err.flush();
    return ExitCodes.INPUT_ERROR;
  }

  /** Chronicle without the module flags on Java 17+ fails with an access error deep in its init. */
  static boolean missingOpens(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IllegalAccessException || t.getClass().getName().equals("java.lang.reflect.InaccessibleObjectException")
          || (t instanceof IllegalAccessError)) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
