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
    // arg2 and arg4 are primitives (mask bits 2 and 4), the return value too (bit 6)
    c.setCall("self", null, 99, t, (1 << 2) | (1 << 4) | io.racetrace.agent.bootstrap.ProbeSink.RETURN_PRIMITIVE,
        "a0", "a1", null, "a3", null, "a5", 0, 0, 22, 0, 44, 0);
    assertEquals("self", ex("this").asObject(c));
    assertSame(t, ex("thrown").asObject(c));
    for (int i : new int[] {0, 1, 3, 5}) {
      assertEquals("a" + i, ex("arg" + i).asObject(c));
      assertFalse(ex("arg" + i).isPrimitive(c));
    }
    assertTrue(ex("arg2").isPrimitive(c));
    assertEquals(22, ex("arg2").asLong(c, -1));
    assertEquals(44, ex("arg4").bits(c));
    assertEquals(99, ex("return").asLong(c, -1));
    assertEquals(44L, ex("arg4").asObject(c), "boxed only when used as an object");
  }

  @Test
  void badPaths_areRejectedWithTheReason() {
    assertEquals("bad extractor path 'arg0..x': '' is not a field, getter or no-argument method name",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0..x")).getMessage());
    assertEquals("bad extractor path 'arg0.get(1)': 'get(1)' is not a field, getter or no-argument method name",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.get(1)")).getMessage());
    assertEquals("bad extractor path 'arg6': only arg0 to arg5 can be read",
        assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg6")).getMessage());
  }
}
