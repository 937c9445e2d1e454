package io.racetrace.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entity steps in the real agent (fixture {@code Entities}): a read probe on an interface,
 * whose key, version and value are the entity's ({@code @key}, {@code @version}, {@code @value}),
 * records only the finds that returned one of the file's entities (its ORM subclass too), once per
 * find however many woven implementations it passed through (a delegating wrapper, an overload
 * calling another); a find of another class, or one that found nothing, leaves no row.
 */
class EntityStepsIT {
  @TempDir Path tmp;

  @Test
  void findsOfTheFilesEntities_areRecordedOnce_withTheirAnnotatedFields() throws Exception {
    Path probes = tmp.resolve("entities.yaml");
    Files.writeString(probes, String.join("\n",
        "version: 1",
        "entities:",
        "  - {class: io.racetrace.agent.fixture.Entities$Stock, key: sku, value: quantity}",
        "probes:",
        "  - {name: find, role: read, class: io.racetrace.agent.fixture.Entities$Store, subtypes: true, method: find,",
        "     key: return.@key, version: return.@version, value: return.@value}",
        ""));
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
      app.send("entities");
      assertEquals("entities done 3", app.await("entities done"), "the fixture's own count of Stocks found");
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(queue);
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    assertEquals(List.of("sku-a v4 =40", "sku-b v7 =70", "sku-a v4 =40"),
        c.rows.stream().map(r -> r.key + " v" + r.readVersion + " =" + r.value).collect(Collectors.toList()),
        "three Stocks found, each once; the Audit and the miss leave no row");
  }
}
