package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.*;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advice binds, per woven method, only the values a probe's fields start from: the receiver,
 * any argument (here the eighth of a static method, of a mixed list of primitive types), the
 * return value. Compared field by field with what the fixture ({@code Ledger}) did.
 */
class RootsIT {
  static final Path PROBES = Path.of("src/test/resources/probes/ledger.yaml").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void fieldsFromThis_fromAnyArgument_andFromVoidMethods() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PROBES, queue)))) {
      app.send("ledger");
      assertEquals("ledger done 500 43", app.await("ledger done"), "the woven ledger computes what it did unwoven");
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(queue);
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    List<TraceRow> rows = c.rows;
    assertEquals(5, rows.size(), c.toString());

    assertRow(rows.get(0), EventKind.READ, F_READ_VERSION | F_VALUE, 41, 0, 0, 1000, Result.NONE);
    assertRow(rows.get(1), EventKind.WRITE, F_EXPECTED_VERSION | F_VALUE, 0, 41, 0, 250, Result.SUCCESS);
    assertRow(rows.get(2), EventKind.WRITE, F_EXPECTED_VERSION | F_VALUE, 0, 41, 0, 10, Result.CONFLICT);
    assertRow(rows.get(3), EventKind.WRITE, F_WRITTEN_VERSION | F_VALUE, 0, 0, 43, 500, Result.SUCCESS);
    assertRow(rows.get(4), EventKind.READ, F_READ_VERSION | F_VALUE, 43, 0, 0, 500, Result.NONE);
  }

  /**
   * A write's {@code amount:} is bound like the other fields: an {@code int} argument, a record
   * component, a boxed argument, a field of {@code this}, a constant; an amount the method declares
   * as a {@code String} is refused when the method is woven, in one line naming the file and the
   * field, and its rows carry none. Compared with what the wallet took.
   */
  @Test
  void amount_fromEveryKindOfRoot_andAStringAmountRefusedAtWeaveTime() throws Exception {
    Path probes = Path.of("src/test/resources/probes/wallet.yaml").toAbsolutePath();
    Path queue = tmp.resolve("queue-wallet");
    String stderr;
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
      app.send("wallet");
      assertEquals("wallet done 944", app.await("wallet done"), "1000 - 7 - 40 + 5 - 11 - 1 - 2, woven as unwoven");
      assertEquals(0, app.exit());
      stderr = app.stderr();
    }
    Capture c = Capture.read(queue);
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(List.of("debit acct-9 7", "take acct-9 40", "spend acct-9 -5", "settle acct-9 11", "decrement acct-9 1",
            "charge acct-9 none"),
        c.rows.stream().map(r -> c.probeName(r) + " " + r.key + " " + (r.has(F_AMOUNT) ? Long.toString(r.amount) : "none"))
            .toList(), c.toString());
    assertTrue(c.rows.stream().allMatch(r -> r.kind == EventKind.WRITE && r.result == Result.SUCCESS
        && (r.flags & (F_VALUE | F_EXPECTED_VERSION | F_WRITTEN_VERSION)) == 0), c.toString());
    String refusal = "[racetrace] warning: " + probes + ": probes[5].amount (probe charge): arg1 of"
        + " io.racetrace.agent.fixture.Wallet#charge(String, String) is a java.lang.String, not a number;"
        + " the amount is left out of its rows";
    assertEquals(1, stderr.lines().filter(l -> l.contains(".amount")).count(), stderr);
    assertTrue(stderr.lines().anyMatch(refusal::equals), stderr);
  }

  /** A probe naming an interface with {@code subtypes: true} weaves its implementation, once per call. */
  @Test
  void subtypes_weaveImplementations_notGeneratedSubclasses() throws Exception {
    for (boolean subtypes : new boolean[] {true, false}) {
      Path probes = tmp.resolve("accounts-" + subtypes + ".yaml");
      java.nio.file.Files.writeString(probes, String.join("\n",
          "probes:",
          "  - role: read",
          "    class: io.racetrace.agent.fixture.Accounts",
          "    method: balanceOf",
          subtypes ? "    subtypes: true" : "",
          "    key: arg0",
          "    value: return",
          ""));
      Path queue = tmp.resolve("queue-" + subtypes);
      try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
        app.send("accounts");
        assertEquals("accounts done 300", app.await("accounts done"));
        assertEquals(0, app.exit());
      }
      Capture c = Capture.read(queue);
      if (subtypes) {
        assertEquals(List.of("acct-1=100", "acct-2=200"), c.rows.stream().map(r -> r.key + "=" + r.value).toList(),
            "one row per call: the implementation is woven, the proxy-style subclass is not");
        assertEquals(1, c.probes.values().iterator().next().matchedMethods(), c.toString());
      } else {
        assertEquals(List.of(), c.rows, "an interface's abstract method has no body to weave");
        assertEquals(0, c.probes.values().iterator().next().matchedMethods(), c.toString());
      }
    }
  }

  private static void assertRow(TraceRow r, EventKind kind, int fields, long readVersion, long expected, long written,
      long value, Result result) {
    String s = r.toString();
    assertEquals(kind, r.kind, s);
    assertEquals("acct-7", r.key, s);
    int mask = F_READ_VERSION | F_EXPECTED_VERSION | F_WRITTEN_VERSION | F_VALUE | F_VALUE_HASHED;
    assertEquals(fields, r.flags & mask, "fields present: " + s);
    assertTrue((r.flags & F_NO_REQUEST) != 0, "outside any request: " + s);
    assertEquals(readVersion, r.readVersion, s);
    assertEquals(expected, r.expectedVersion, s);
    assertEquals(written, r.writtenVersion, s);
    assertEquals(value, r.value, s);
    assertEquals(result, r.result, s);
  }
}
