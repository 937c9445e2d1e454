package io.racetrace.agent.core.extract;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractorTest {
  record Row(String sku, long version, int quantity, boolean hot) {}

  static class Base {
    private final String id = "base-id";

    public String getName() {
      return "named";
    }
  }

  static final class Bean extends Base {
    final Row row;
    Bean next;

    Bean(Row row) {
      this.row = row;
    }

    public boolean isActive() {
      return true;
    }

    Long boxed() {
      return 1234567L;
    }

    String fails() {
      throw new IllegalStateException("boom");
    }

    /** As a servlet request's getHeader: a method that takes the name of what it returns. */
    public String getHeader(String name) {
      return "X-Request-Id".equalsIgnoreCase(name) ? "req-77" : null;
    }

    long slot(int index, boolean plusOne) {
      return index * 10L + (plusOne ? 1 : 0);
    }
  }

  enum Status { AVAILABLE, BOOKED }

  final List<String> problems = new ArrayList<>();

  Extractor ex(String path) {
    return new Extractor(ExtractorPath.parse(path), "probe", problems::add);
  }

  static final Bean BEAN = new Bean(new Row("sku-1", 42, 7, true));

  @Test
  void fieldsRecordComponentsGettersAndCalls_resolve() throws Throwable {
    assertEquals("sku-1", ex("arg0.row.sku").asObject(BEAN));
    assertEquals("sku-1", ex("arg0.row.sku()").asObject(BEAN));
    assertEquals("base-id", ex("arg0.id").asObject(BEAN), "private field of a superclass");
    assertEquals("named", ex("arg0.name").asObject(BEAN), "getter getName() for 'name'");
    assertEquals(Boolean.TRUE, ex("arg0.active").asObject(BEAN), "isActive() for 'active'");
    assertEquals(42L, ex("arg0.row.version").asLong(BEAN, -1, null));
    assertEquals(7L, ex("arg0.row.quantity()").asLong(BEAN, -1, null));
    assertEquals(1L, ex("arg0.row.hot").asLong(BEAN, -1, null));
    assertEquals(1234567L, ex("arg0.boxed()").asLong(BEAN, -1, null));
    assertEquals(List.of(), problems);
  }

  @Test
  void nullOnThePath_isAbsent_notAnError() throws Throwable {
    assertSame(Extractor.ABSENT, ex("arg0.next.row").asObject(BEAN));
    assertEquals(-1, ex("arg0.next.row.version").asLong(BEAN, -1, null));
    assertSame(Extractor.ABSENT, ex("arg0").asObject((Object) null));
    assertEquals(List.of(), problems);
  }

  /** A repository's {@code Optional} return: {@code get} of an empty one is absent, as a null is, not a throw. */
  @Test
  void emptyOptional_isAbsent_notAnError() throws Throwable {
    java.util.Optional<Row> found = java.util.Optional.of(BEAN.row);
    assertEquals(42L, ex("return.get().version").asLong(found, -1, null));
    assertEquals(7L, ex("return.get.quantity").asLong(found, -1, null));
    assertEquals("sku-1", ex("return.orElseThrow().sku").asObject(found));
    assertEquals(-1, ex("return.get().version").asLong(java.util.Optional.empty(), -1, null));
    assertSame(Extractor.ABSENT, ex("return.orElseThrow().sku").asObject(java.util.Optional.empty()));
    assertEquals(Boolean.FALSE, ex("return.isPresent()").asObject(java.util.Optional.empty()));
    assertEquals(List.of(), problems);
  }

  @Test
  void missingMember_isReportedOnce_andAbsent() throws Throwable {
    Extractor e = ex("arg0.nope");
    assertSame(Extractor.ABSENT, e.asObject(BEAN));
    assertSame(Extractor.ABSENT, e.asObject(BEAN));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("has no field, record component or getter 'nope'"), problems.get(0));
  }

  @Test
  void throwingGetter_propagatesToTheCaller() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex("arg0.fails()").asObject(BEAN));
    assertEquals("boom", e.getMessage());
  }

  @Test
  void nonNumericValues_areHashed_andFlagged() throws Throwable {
    boolean[] hashed = {false};
    assertEquals("sku-1".hashCode(), ex("arg0.row.sku").asLong(BEAN, -1, hashed));
    assertTrue(hashed[0]);
  }

  @Test
  void roots_pickTheRightValue_andPrimitivesStayUnboxed() throws Throwable {
    io.racetrace.agent.bootstrap.ThreadContext c = new io.racetrace.agent.bootstrap.ThreadContext();
    Throwable t = new RuntimeException();
    assertEquals("self", ex("this").asObject("self", 0, false, t));
    assertSame(t, ex("thrown").asObject(null, 0, false, t), "thrown needs no binding: the call's exception");
    assertEquals("a9", ex("arg9").asObject("a9", 0, false, null));
    assertFalse(ex("arg1").isPrimitive(false));
    assertTrue(ex("arg2").isPrimitive(true));
    assertFalse(ex("arg2.x").isPrimitive(true), "a path with steps starts from the boxed root");
    assertEquals(22, ex("arg2").asLong(null, 22, true, null, -1, c));
    assertEquals(44, ex("arg4").bits(44));
    assertEquals(99, ex("return").asLong(null, 99, true, null, -1, c));
    assertEquals(44L, ex("arg4").asObject(null, 44, true, null), "boxed only when used as an object");
    assertTrue(ex("7").isPrimitive(false));
    assertEquals(7, ex("7").asLong(null, 0, false, null, -1, c), "a constant, whatever was bound");
    assertEquals(-1, ex("arg0").asLong(null, 0, false, null, -1, c), "a root the advice could not load is absent");
  }

  @Test
  void callsWithConstantArguments_mapLookups_andComparisons() throws Throwable {
    assertEquals("req-77", ex("arg0.getHeader(\"X-Request-Id\")").asObject(BEAN));
    assertSame(Extractor.ABSENT, ex("arg0.getHeader(\"Other\")").asObject(BEAN));
    assertEquals(31L, ex("arg0.slot(3, true)").asLong(BEAN, -1, null), "a package-private method, int and boolean constants");
    java.util.Map<String, Object> form = new java.util.HashMap<>(java.util.Map.of("id", "r-9", "a.b (c)", 5L));
    assertEquals("r-9", ex("arg0.get(\"id\")").asObject(form), "a JDK map, through its public interface");
    assertEquals(5L, ex("arg0.get(\"a.b (c)\")").asLong(form, -1, null), "dots, spaces and parentheses inside a string");
    assertEquals("r-9", ex("arg0.get(\"id\")").asObject(java.util.Collections.unmodifiableMap(form)),
        "a map class that is not public: its public interface is called");

    assertEquals(Boolean.TRUE, ex("arg0 == \"AVAILABLE\"").asObject(Status.AVAILABLE), "an enum by its name");
    assertEquals(0L, ex("arg0 == \"AVAILABLE\"").asLong(Status.BOOKED, -1, null));
    assertEquals(1L, ex("arg0 != \"AVAILABLE\"").asLong(Status.BOOKED, -1, null));
    assertEquals(1L, ex("arg0.row.sku == \"sku-1\"").asLong(BEAN, -1, null));
    assertEquals(1L, ex("arg0.row.quantity == 7").asLong(BEAN, -1, null));
    assertEquals(1L, ex("arg0.row.hot == true").asLong(BEAN, -1, null));
    assertEquals(-1L, ex("arg0.next.row == 7").asLong(BEAN, -1, null), "absent stays absent, not false");
    io.racetrace.agent.bootstrap.ThreadContext c = new io.racetrace.agent.bootstrap.ThreadContext();
    assertFalse(ex("return == 0").isPrimitive(true), "a comparison is evaluated, not read as the bare value");
    assertEquals(1L, ex("return == 0").asLong(null, 0, true, null, -1, c), "a primitive return compared unboxed-first");
    assertEquals(List.of(), problems);

    Extractor wrongType = ex("arg0.getHeader(42)");
    assertSame(Extractor.ABSENT, wrongType.asObject(BEAN));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("has no method getHeader(42)"), problems.get(0));
  }

  @Test
  void pathsPrintAsWritten_andStepsKeepTheirConstants() {
    ExtractorPath p = ExtractorPath.parse("arg0.getHeader(\"X-Request-Id\").trim() != \"\"");
    assertEquals(List.of(new ExtractorPath.Step("getHeader", true, List.of("X-Request-Id")), new ExtractorPath.Step("trim", true)), p.steps());
    assertEquals(new ExtractorPath.Comparison(false, ""), p.comparison());
    assertEquals("getHeader(\"X-Request-Id\")", p.steps().get(0).toString());
  }

  @Test
  void badPaths_areRejectedWithTheReason() {
    assertEquals("bad extractor path 'arg0..x': '.x' is not a field, getter or method call",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0..x")).getMessage());
    assertEquals("bad extractor path 'arg0.get(x)': 'x' is not a constant (a \"string\", a number, true or false)",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.get(x)")).getMessage());
    assertEquals("bad extractor path 'arg0.get(\"a)': a string constant is not closed",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.get(\"a)")).getMessage());
    assertEquals("bad extractor path 'arg0.get(1': the arguments of get( are not closed",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.get(1")).getMessage());
    assertEquals("bad extractor path 'arg0 = 1': unexpected '= 1'",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0 = 1")).getMessage());
    assertEquals("bad extractor path 'arg0.a(1,2,3,4,5)': a() may take at most 4 constant arguments",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.a(1,2,3,4,5)")).getMessage());
    assertEquals("bad extractor path 'arg255': a Java method has at most 255 arguments (arg0 to arg254)",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg255")).getMessage());
  }
}
