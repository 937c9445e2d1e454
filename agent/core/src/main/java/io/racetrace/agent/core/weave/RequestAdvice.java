package io.racetrace.agent.core.weave;

import static io.racetrace.agent.core.weave.Roots.ID;
import static io.racetrace.agent.core.weave.Roots.KEY;
import static io.racetrace.agent.core.weave.Roots.RESULT;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Advice for request probes, inlined at entry and exit of the probed method. It refers only to
 * JDK types and the bootstrap {@link Dispatcher}, so it links in any class loader. Entry passes
 * the roots of the request id and key (bound per probe, see {@link Roots}); exit passes the root
 * of the result and the exception; the token returned at entry comes back through
 * {@code @Advice.Enter}.
 */
public final class RequestAdvice {
  private RequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId, @Roots.Mask({ID, KEY}) int mask,
      @Roots.Ref(ID) Object idRef, @Roots.Bits(ID) long idBits,
      @Roots.Ref(KEY) Object keyRef, @Roots.Bits(KEY) long keyBits) {
    return Dispatcher.enterRequest(probeId, mask, idRef, idBits, keyRef, keyBits);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token, @Roots.Mask({RESULT}) int mask,
      @Roots.Ref(RESULT) Object resultRef, @Roots.Bits(RESULT) long resultBits, @Advice.Thrown Throwable thrown) {
    Dispatcher.exitRequest(probeId, token, mask, resultRef, resultBits, thrown);
  }
}
