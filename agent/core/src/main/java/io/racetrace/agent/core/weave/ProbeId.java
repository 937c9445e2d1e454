package io.racetrace.agent.core.weave;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bound, per woven method, to the index of its probe; inlined as a constant. In a method of a
 * JDK dynamic proxy the constant also carries {@link #PROXY}, so the capture can tell the call the
 * application made on the proxy from the calls its handler makes (see {@code CaptureSink}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ProbeId {
  /** Set in the probe id of a method woven into a JDK dynamic proxy class. */
  int PROXY = 1 << 30;
  /** The bits of a probe id that index the probe. */
  int INDEX = PROXY - 1;
}
