package io.racetrace.agent.core.weave;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.probe.ProbeFile;
import io.racetrace.agent.core.probe.ProbeFileException;
import io.racetrace.agent.core.probe.ProbeFileParser;
import io.racetrace.agent.core.probe.ProbeSpec;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** Which methods a probe weaves, by name and by annotation ({@code annotation:}, {@code method: '*'}), with ByteBuddy's own matchers. */
class MethodMatcherTest {
  @Retention(RetentionPolicy.RUNTIME) @interface PostMapping {}
  @Retention(RetentionPolicy.RUNTIME) @interface GetMapping {}

  static class Controller {
    @PostMapping public String reserve(String id) { return id; }
    @PostMapping public String cancel(String id) { return id; }
    @GetMapping public String stock(String sku) { return sku; }
    public String reserve(String id, int units) { return id; }
  }

  static ProbeSpec probe(String fields) throws ProbeFileException {
    ProbeFile f = ProbeFileParser.parse("p.yaml", ("version: 1\nprobes:\n  - {role: request, class: "
        + Controller.class.getName() + ", " + fields + "}\n").getBytes(StandardCharsets.UTF_8), false);
    return f.probes().get(0);
  }

  static List<String> woven(ProbeSpec p) {
    return TypeDescription.ForLoadedType.of(Controller.class).getDeclaredMethods()
        .filter(ProbeInstaller.methodMatcher(p)).stream()
        .map(m -> m.getName() + "/" + m.getParameters().size()).sorted().toList();
  }

  @Test
  void everyMethodWithTheAnnotation() throws Exception {
    assertEquals(List.of("cancel/1", "reserve/1"), woven(probe("method: '*', annotation: " + PostMapping.class.getName())));
  }

  @Test
  void aNamedMethod_narrowedToTheAnnotatedOverload() throws Exception {
    assertEquals(List.of("reserve/1", "reserve/2"), woven(probe("method: reserve")));
    assertEquals(List.of("reserve/1"), woven(probe("method: reserve, annotation: " + PostMapping.class.getName())));
  }

  @Test
  void aStarWithoutAnAnnotation_isRefused() {
    ProbeFileException e = assertThrows(ProbeFileException.class, () -> probe("method: '*'"));
    assertTrue(e.getMessage().contains("method '*' needs annotation:"), e.getMessage());
  }

}
