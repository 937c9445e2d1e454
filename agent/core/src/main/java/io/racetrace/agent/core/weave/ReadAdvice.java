package io.racetrace.agent.core.weave;

import static io.racetrace.agent.core.weave.Roots.KEY;
import static io.racetrace.agent.core.weave.Roots.VALUE;
import static io.racetrace.agent.core.weave.Roots.VERSION;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/** Advice for read probes: the roots of the key, version and value, at exit. See {@link RequestAdvice}. */
public final class ReadAdvice {
  private ReadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token, @Roots.Mask({KEY, VERSION, VALUE}) int mask,
      @Roots.Ref(KEY) Object keyRef, @Roots.Bits(KEY) long keyBits,
      @Roots.Ref(VERSION) Object versionRef, @Roots.Bits(VERSION) long versionBits,
      @Roots.Ref(VALUE) Object valueRef, @Roots.Bits(VALUE) long valueBits, @Advice.Thrown Throwable thrown) {
    Dispatcher.exitRead(probeId, token, mask, keyRef, keyBits, versionRef, versionBits, valueRef, valueBits, thrown);
  }
}
