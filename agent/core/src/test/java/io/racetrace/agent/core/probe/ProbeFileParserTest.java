package io.racetrace.agent.core.probe;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.trace.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeFileParserTest {
  static ProbeFile yaml(String text) throws ProbeFileException {
    return ProbeFileParser.parse("p.yaml", text.getBytes(StandardCharsets.UTF_8), false);
  }

  static String error(String text) {
    return assertThrows(ProbeFileException.class, () -> yaml(text)).getMessage();
  }

  @Test
  void everyRole_andEveryExtractorForm_parse() throws Exception {
    ProbeFile f = yaml(String.join("\n",
        "version: 1",
        "probes:",
        "  - role: arrival",
        "    class: a.Http",
        "    method: submit",
        "    requestId: arg0.requestId()",
        "  - role: request",
        "    class: a.Service",
        "    method: reserve",
        "    params: [a.Request]",
        "    requestId: arg0.id",
        "    key: arg0.getSku()",
        "    result:",
        "      map: {CONFIRMED: success, SOLD_OUT: rejected, 'null': conflict}",
        "      thrown: {java.util.concurrent.TimeoutException: timeout}",
        "  - role: read",
        "    class: a.Store",
        "    method: read",
        "    key: arg1",
        "    version: return.version()",
        "    value: return.quantity",
        "  - role: write",
        "    class: a.Store",
        "    method: cas",
        "    key: this.key",
        "    expectedVersion: arg2",
        "    writtenVersion: arg3",
        "    success: return",
        "  - role: attempt",
        "    class: a.Service",
        "    method: tryOnce",
        "reproduce:",
        "  key: sku-1",
        "  rendezvous: true",
        "  delayAfterRead: 5ms"));
    assertEquals(5, f.probes().size());
    ProbeSpec req = f.probes().get(1);
    assertEquals(Role.REQUEST, req.role());
    assertEquals("request:Service.reserve", req.name());
    assertEquals("a.Service#reserve(a.Request)", req.target());
    assertEquals(ExtractorPath.Root.ARG, req.key().root());
    assertEquals("getSku()", req.key().steps().get(0).toString());
    assertEquals(Result.SUCCESS, req.result().ofValue(Thread.State.NEW), "unmapped values are success by default");
    assertEquals(Result.CONFLICT, req.result().ofValue(null));
    assertEquals(Result.TIMEOUT, req.result().ofThrown(new java.util.concurrent.TimeoutException()));
    assertEquals(Result.ERROR, req.result().ofThrown(new IllegalStateException()));
    assertEquals(ExtractorPath.Root.THIS, f.probes().get(3).key().root());
    assertEquals(2, f.reproduce().parties());
    assertEquals(5, f.reproduce().delayAfterRead().toMillis());
  }

  @Test
  void resultMapping_usesEnumNamesBooleansAndDefaults() throws Exception {
    ResultMapping m = yaml("probes:\n  - role: request\n    class: a.B\n    method: m\n    result:\n"
        + "      map: {NEW: conflict, 'true': success, 'false': rejected}\n      otherwise: error\n").probes().get(0).result();
    assertEquals(Result.CONFLICT, m.ofValue(Thread.State.NEW));
    assertEquals(Result.ERROR, m.ofValue(Thread.State.BLOCKED));
    assertEquals(Result.SUCCESS, m.ofValue(Boolean.TRUE));
    assertEquals(Result.REJECTED, m.ofValue(false));
    assertEquals(Result.SUCCESS, ResultMapping.DEFAULT.ofValue(null), "no map: returning normally is success");
    assertEquals(Result.TIMEOUT, ResultMapping.DEFAULT.ofThrown(new java.net.SocketTimeoutException()));
  }

  /** A write probe maps what it throws (an optimistic-lock exception is a handled conflict), but its outcome comes from success. */
  @Test
  void writeProbe_mapsThrownExceptions_butNotValues() throws Exception {
    ResultMapping m = yaml("probes:\n  - role: write\n    class: a.B\n    method: save\n    value: arg1\n    result:\n"
        + "      thrown: {java.util.ConcurrentModificationException: conflict}\n").probes().get(0).result();
    assertEquals(Result.CONFLICT, m.ofThrown(new java.util.ConcurrentModificationException()));
    assertEquals(Result.ERROR, m.ofThrown(new IllegalStateException()));
    assertEquals("p.yaml:2: probes[0]: result.from, result.map and result.otherwise (use success; result.thrown maps exceptions)"
        + " not allowed for a write probe",
        error("probes:\n  - role: write\n    class: a.B\n    method: m\n    value: arg1\n    result:\n      map: {X: success}\n"));
  }

  /**
   * A commit or rollback probe needs no field: its row carries the enclosing request's id and key,
   * and its outcome is whether the call threw, mapped through result.thrown.
   */
  @Test
  void commitAndRollbackProbes_needNoFields_andMapOnlyWhatTheyThrow() throws Exception {
    ProbeFile f = yaml(String.join("\n",
        "probes:",
        "  - {role: commit, class: org.h2.jdbc.JdbcConnection, method: commit}",
        "  - {role: rollback, class: org.h2.jdbc.JdbcConnection, method: rollback, params: []}",
        "  - role: commit",
        "    class: a.TxManager",
        "    method: doCommit",
        "    result: {thrown: {java.sql.SQLTransientException: timeout}}"));
    assertEquals(Role.COMMIT, f.probes().get(0).role());
    assertEquals("commit:JdbcConnection.commit", f.probes().get(0).name());
    assertEquals(Role.ROLLBACK, f.probes().get(1).role());
    assertEquals("org.h2.jdbc.JdbcConnection#rollback()", f.probes().get(1).target(), "params: [] picks rollback(), not rollback(Savepoint)");
    assertEquals(Result.TIMEOUT, f.probes().get(2).result().ofThrown(new java.sql.SQLTransientConnectionException()));
    assertEquals(Result.ERROR, f.probes().get(2).result().ofThrown(new java.sql.SQLException()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "probes:\\n  - role: commit\\n    class: a.B\\n    method: m\\n    key: arg0\\n"
          + "| p.yaml:2: probes[0]: key not allowed for a commit probe",
      "probes:\\n  - role: rollback\\n    class: a.B\\n    method: m\\n    requestId: arg0\\n    value: arg1\\n"
          + "| p.yaml:2: probes[0]: requestId, value not allowed for a rollback probe",
      "probes:\\n  - role: commit\\n    class: a.B\\n    method: m\\n    amount: 1\\n"
          + "| p.yaml:2: probes[0]: amount not allowed for a commit probe",
      "probes:\\n  - role: commit\\n    class: a.B\\n    method: m\\n    success: return\\n"
          + "| p.yaml:2: probes[0]: success not allowed for a commit probe",
      "probes:\\n  - role: rollback\\n    class: a.B\\n    method: m\\n    result: {map: {X: success}}\\n"
          + "| p.yaml:2: probes[0]: result.from, result.map and result.otherwise (result.thrown maps exceptions) not allowed for a rollback probe",
  })
  void commitAndRollbackProbes_refuseFieldsTheirRowsCannotCarry(String text, String expected) {
    String msg = error(text.replace("\\n", "\n"));
    assertEquals(expected, msg);
    assertFalse(msg.contains("\n"), "one line");
  }

  /** A write probe's amount: any extractor path or a constant, on a write with no value or next to one. */
  @Test
  void amount_onAWriteWithoutValue_orNextToOne_parses() throws Exception {
    ProbeFile f = yaml(String.join("\n",
        "probes:",
        "  - {role: write, class: a.Accounts, method: debit, key: arg0, amount: arg1}",
        "  - {role: write, class: a.Stock, method: take, key: arg0.sku(), amount: arg0.units(), value: return}",
        "  - {role: write, class: a.Stock, method: decrement, key: this.sku, amount: 1}"));
    assertEquals("arg1", f.probes().get(0).amount().toString());
    assertNull(f.probes().get(0).value());
    assertEquals(ExtractorPath.Root.ARG, f.probes().get(1).amount().root());
    assertEquals("units()", f.probes().get(1).amount().steps().get(0).toString());
    assertEquals(ExtractorPath.Root.CONSTANT, f.probes().get(2).amount().root());
    assertEquals(1, f.probes().get(2).amount().constant());
    assertNull(yaml("probes:\n  - {role: write, class: a.B, method: m, value: arg1}\n").probes().get(0).amount());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "probes:\\n  - role: write\\n    class: a.B\\n    method: m\\n    amount: arg1.\\n"
          + "| p.yaml:5: probes[0].amount: bad extractor path 'arg1.': '' is not a field, getter or method call",
      "probes:\\n  - role: write\\n    class: a.B\\n    method: m\\n    amount: thrown\\n"
          + "| p.yaml:5: probes[0].amount: 'thrown' is not a number of units: thrown is the exception the write threw",
      "probes:\\n  - role: write\\n    class: a.B\\n    method: m\\n    amount: arg1 == 3\\n"
          + "| p.yaml:5: probes[0].amount: 'arg1 == 3' is not a number of units: a comparison gives true or false",
      "probes:\\n  - role: write\\n    class: a.B\\n    method: m\\n    amount: [1]\\n"
          + "| p.yaml:5: probes[0].amount: an amount must be a path to a number such as arg2 or arg0.units(), or a number",
      "probes:\\n  - role: read\\n    class: a.B\\n    method: m\\n    value: return\\n    amount: arg1\\n"
          + "| p.yaml:2: probes[0]: amount (the units a write takes) not allowed for a read probe",
      "probes:\\n  - role: request\\n    class: a.B\\n    method: m\\n    amount: arg1\\n"
          + "| p.yaml:2: probes[0]: amount not allowed for a request probe",
      "probes:\\n  - role: write\\n    class: a.B\\n    method: m\\n    key: arg0\\n"
          + "| p.yaml:2: probes[0]: a write probe needs writtenVersion, expectedVersion, value or amount",
  })
  void badAmount_givesOneLineWithFileLineAndField(String text, String expected) {
    String msg = error(text.replace("\\n", "\n"));
    assertEquals(expected, msg);
    assertFalse(msg.contains("\n"), "one line");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "probes:\\n  - role: read\\n    class: a.B\\n    method: m\\n    version: retrun.v\\n"
          + "| p.yaml:5: probes[0].version: bad extractor path 'retrun.v': it must start with argN, this, return or thrown, or be a number",
      "probes:\\n  - role: read\\n    class: a.B\\n    method: m\\n    value: arg300\\n"
          + "| p.yaml:5: probes[0].value: bad extractor path 'arg300': a Java method has at most 255 arguments (arg0 to arg254)",
      "probes:\\n  - role: reed\\n    class: a.B\\n    method: m\\n"
          + "| p.yaml:2: probes[0].role: unknown role 'reed' (expected one of arrival, request, read, write, attempt, commit, rollback)",
      "probes:\\n  - role: read\\n    class: a.B\\n    method: m\\n    verison: return\\n"
          + "| p.yaml:6: probes[0].verison: unknown field 'verison'",
      "probes:\\n  - role: read\\n    method: m\\n    value: return\\n"
          + "| p.yaml:5: probes[0]: missing required field 'class'",
      "probes:\\n  - role: read\\n    class: a.B\\n    method: m\\n"
          + "| p.yaml:2: probes[0]: a read probe needs version or value (or both)",
      "probes:\\n  - role: request\\n    class: a.B\\n    method: m\\n    result:\\n      map: {X: great}\\n"
          + "| p.yaml:6: probes[0].result.map.X: unknown result 'great' (expected success, conflict, rejected, timeout or error)",
      "probes: [\\n"
          + "| p.yaml:1: probes: syntax error: while parsing a flow node",
      "version: 2\\nprobes: []\\n"
          + "| p.yaml:1: version: probe file version 2 is not supported (this agent reads version 1)",
  })
  void malformedFiles_giveOneLineWithFileLineAndField(String text, String expected) {
    String msg = error(text.replace("\\n", "\n"));
    assertEquals(expected, msg);
    assertFalse(msg.contains("\n"), "one line");
  }

  @Test
  void missingFile_isNamed() {
    ProbeFileException e = assertThrows(ProbeFileException.class,
        () -> ProbeFileParser.parse(java.nio.file.Path.of("no/such/probes.yaml")));
    assertEquals("no/such/probes.yaml: probe file not found", e.getMessage());
  }

  @Test
  void include_addsThePacksProbes_namedByPack_andReadsTheFilesEntities() throws Exception {
    ProbeFile f = yaml("""
        version: 1
        include: [jdbc, jpa, hibernate@1]
        entities:
          - {class: com.example.Stock, key: sku, value: quantity}
        probes:
          - {role: request, class: com.example.Shop, method: order, key: arg0}
        """);
    assertEquals(List.of("jdbc@1", "jpa@1", "hibernate@1"), f.packs());
    List<String> names = f.probes().stream().map(ProbeSpec::name).toList();
    assertEquals(List.of("request:Shop.order", "jdbc:commit", "jdbc:rollback", "jpa:find", "hibernate:query", "hibernate:flush"), names);
    ProbeSpec flush = f.probes().get(5);
    assertEquals("hibernate@1", flush.pack());
    assertEquals("this.instance.@key", flush.key().toString());
    assertEquals("com.example.Stock", flush.entities().get(0).className());
    assertNull(f.probes().get(0).pack());
  }

  @Test
  void aFileOfPacksAlone_isAProbeFile() throws Exception {
    assertEquals(2, yaml("version: 1\ninclude: [jdbc]\n").probes().size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "include: [hibernat]|p.yaml:2: include[0]: unknown pack 'hibernat' (packs: hibernate, jdbc, jpa, servlet, servlet-javax)",
      "include: [jdbc, hibernate@9]|p.yaml:2: include[1]: pack hibernate has no version 9 (versions: [1])",
      "include: [jdbc, jdbc@1]|p.yaml:3: include names pack jdbc@1 twice",
      "include: [hibernate]|p.yaml:3: pack hibernate@1 reads entities: list the classes it should capture, e.g. entities: [{class: com.example.Stock, key: sku, value: quantity}]",
      "include: [jdbc]\\nentities: [{class: 'com.example.Stock!'}]|p.yaml:3: entities[0]: class 'com.example.Stock!' is not a Java class name",
      "include: [jdbc]\\nentities: [{class: a.B}, {class: a.B}]|p.yaml:4: entities names a class twice"})
  void badIncludesAndEntities_areOneLine_namingTheField(String body, String message) {
    assertEquals(message, error("version: 1\n" + body.replace("\\n", "\n") + "\n"));
  }

  @Test
  void statusClasses_mapNumbersByTheirHundreds_afterExactKeys() throws Exception {
    ProbeFile f = yaml("""
        version: 1
        probes:
          - {role: request, class: a.S, method: m, result: {from: arg1.getStatus(), map: {2xx: success, 409: conflict, 4xx: rejected, 5xx: error}}}
        """);
    ResultMapping m = f.probes().get(0).result();
    assertEquals(Result.SUCCESS, m.ofValue(201));
    assertEquals(Result.CONFLICT, m.ofValue(409));
    assertEquals(Result.REJECTED, m.ofValue(404));
    assertEquals(Result.ERROR, m.ofBits(503));
    assertEquals(Result.SUCCESS, m.ofValue(302), "unmapped: otherwise");
  }
}
