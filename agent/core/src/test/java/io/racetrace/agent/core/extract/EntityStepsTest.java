package io.racetrace.agent.core.extract;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.probe.EntitySpec;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The entity steps ({@code @id}, {@code @version}, {@code @key}, {@code @value}) on entities
 * annotated as JPA's are: annotations matched by simple name, fields found through superclasses,
 * and calls on classes the file does not name left out ({@link Extractor#NOT_ENTITY}).
 */
class EntityStepsTest {
  @Retention(RetentionPolicy.RUNTIME) @interface Id {}
  @Retention(RetentionPolicy.RUNTIME) @interface Version {}

  /** A mapped superclass holding the id and version, as many JPA models do. */
  static class Audited {
    @Id private Long id = 7L;
    @Version private long version = 3;
  }

  static class Stock extends Audited {
    private String sku = "sku-9";
    private long quantity = 40;
  }

  /** A subclass the ORM generates at run time (a proxy or an enhanced class). */
  static final class StockProxy extends Stock {}

  static final class Reservation {
    @Id private Long id = 11L;
    private String sku = "sku-9";
  }

  final List<String> problems = new ArrayList<>();

  Extractor ex(String path, EntitySpec... entities) {
    return new Extractor(ExtractorPath.parse(path), "probe", problems::add, List.of(entities));
  }

  static final EntitySpec STOCK = new EntitySpec(Stock.class.getName(), "sku", "quantity");

  @Test
  void idAndVersion_areTheAnnotatedFields_inheritedOnes_too() throws Throwable {
    assertEquals(7L, ex("arg0.@id").asObject(new Stock()));
    assertEquals(3L, ex("arg0.@version").asLong(new StockProxy(), -1, null));
    assertEquals(11L, ex("arg0.@id").asObject(new Reservation()));
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void keyAndValue_areTheFieldsTheEntityNames_onTheEntityAndItsSubclasses() throws Throwable {
    assertEquals("sku-9", ex("arg0.@key", STOCK).asObject(new Stock()));
    assertEquals("sku-9", ex("arg0.@key", STOCK).asObject(new StockProxy()), "an ORM subclass is the entity");
    assertEquals(40L, ex("arg0.@value", STOCK).asLong(new Stock(), -1, null));
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void key_withoutAKeyField_isTheId() throws Throwable {
    EntitySpec byId = new EntitySpec(Stock.class.getName(), null, null);
    assertEquals(7L, ex("arg0.@key", byId).asObject(new Stock()));
    assertEquals(11L, ex("arg0.@key").asObject(new Reservation()), "no entities listed: any class's id");
  }

  @Test
  void aClassTheFileDoesNotName_isNotAnEntity_andItsCallIsLeftOut() throws Throwable {
    assertSame(Extractor.NOT_ENTITY, ex("arg0.@key", STOCK).asObject(new Reservation()));
    assertSame(Extractor.NOT_ENTITY, ex("arg0.@key.length()", STOCK).asObject(new Reservation()),
        "a step after it keeps the verdict");
    assertTrue(problems.isEmpty(), "not a problem: the pack sees every entity, the file names some");
  }

  @Test
  void aMissingField_isReportedOnce_andAbsent() throws Throwable {
    EntitySpec wrong = new EntitySpec(Stock.class.getName(), "skew", null);
    Extractor e = ex("arg0.@key", wrong);
    assertSame(Extractor.ABSENT, e.asObject(new Stock()));
    assertSame(Extractor.ABSENT, e.asObject(new Stock()));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("has no key field"), problems.get(0));
    assertSame(Extractor.ABSENT, ex("arg0.@value", new EntitySpec(Stock.class.getName(), "sku", null))
        .asObject(new Stock()), "no value named: no value");
  }

  @Test
  void unknownEntitySteps_areRefusedWhenParsed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtractorPath.parse("arg0.@versoin"));
    assertTrue(e.getMessage().contains("is not an entity step (@key, @value, @version, @id)"), e.getMessage());
  }
}
