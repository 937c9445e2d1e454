package io.racetrace.agent.core.weave;

import static io.racetrace.agent.core.weave.Roots.ID;
import static io.racetrace.agent.core.weave.Roots.KEY;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/** Advice for arrival probes: the roots of the request id and key, at exit. See {@link RequestAdvice}. */
public final class ArrivalAdvice {
  private ArrivalAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token, @Roots.Mask({ID, KEY}) int mask,
      @Roots.Ref(ID) Object idRef, @Roots.Bits(ID) long idBits,
      @Roots.Ref(KEY) Object keyRef, @Roots.Bits(KEY) long keyBits, @Advice.Thrown Throwable thrown) {
    Dispatcher.exitArrival(probeId, token, mask, idRef, idBits, keyRef, keyBits, thrown);
  }
}
