package io.racetrace.agent.core.weave;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bound, per woven method, to the index of its probe; inlined as a constant. In a method of a
 * JDK dynamic proxy the constant also carries {@link #PROXY}, so the capture can tell the call the
 * application made on the proxy from the calls its handler makes (see {@code CaptureSink}).
 *
 * <p>The constant also carries the {@link #EPOCH} of the capture that wove it. Detaching restores
 * the original bytecode, but a frame that was running the woven code keeps running it: its exit
 * advice may call the bridge after a later capture, with other probes under the same indices, was
 * attached. That capture ignores calls of another epoch, instead of reading them as its own probes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ProbeId {
  /** Set in the probe id of a method woven into a JDK dynamic proxy class. */
  int PROXY = 1 << 30;
  /** Where the epoch starts. */
  int EPOCH_SHIFT = 20;
  /** The bits of a probe id that carry the epoch of the capture that wove it (never 0). */
  int EPOCH = ((1 << 10) - 1) << EPOCH_SHIFT;
  /** The bits of a probe id that index the probe. */
  int INDEX = (1 << EPOCH_SHIFT) - 1;
}
