package io.racetrace.agent.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Fails any test in whose forked apps the agent reported an error (a class it could not weave,
 * woven code that failed, an exception trace), whether or not the test itself looked: the idea
 * of OpenTelemetry's {@code TestAgentListener}, for agents that run in another JVM. Registered
 * for every test of this module by JUnit's extension auto-detection
 * ({@code junit-platform.properties}). A test that provokes agent errors on purpose says so with
 * {@link Expected} and asserts them itself.
 */
public final class AgentErrorsCheck implements BeforeEachCallback, AfterEachCallback {
  /** The test provokes agent errors on purpose, and asserts them itself. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  public @interface Expected {
    /** Why the agent reports errors in this test. */
    String value();
  }

  private static final List<ForkedApp> APPS = new ArrayList<>();

  static void opened(ForkedApp app) {
    synchronized (APPS) {
      APPS.add(app);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (APPS) {
      APPS.clear();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<ForkedApp> apps;
    synchronized (APPS) {
      apps = new ArrayList<>(APPS);
      APPS.clear();
    }
    boolean expected = context.getTestMethod().map(m -> m.isAnnotationPresent(Expected.class)).orElse(false)
        || context.getTestClass().map(c -> c.isAnnotationPresent(Expected.class)).orElse(false);
    if (expected || context.getExecutionException().isPresent()) {
      return; // a failing test already reports its own cause
    }
    StringBuilder problems = new StringBuilder();
    for (ForkedApp app : apps) {
      List<String> errors = app.agentErrors();
      if (!errors.isEmpty()) {
        problems.append("\nforked app pid ").append(app.pid).append(": ").append(String.join("\n  ", errors))
            .append("\n-- its stderr:\n").append(app.stderr());
      }
    }
    if (problems.length() > 0) {
      throw new AssertionFailedError("the agent reported errors during " + context.getDisplayName() + problems);
    }
  }
}
