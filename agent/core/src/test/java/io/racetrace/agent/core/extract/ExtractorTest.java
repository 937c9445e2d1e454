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
  }

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
  void badPaths_areRejectedWithTheReason() {
    assertEquals("bad extractor path 'arg0..x': '' is not a field, getter or no-argument method name",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0..x")).getMessage());
    assertEquals("bad extractor path 'arg0.get(1)': 'get(1)' is not a field, getter or no-argument method name",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.get(1)")).getMessage());
    assertEquals("bad extractor path 'arg255': a Java method has at most 255 arguments (arg0 to arg254)",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg255")).getMessage());
  }
}
