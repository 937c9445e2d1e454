package io.racetrace.agent.core.weave;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice for arrival, read, write and attempt probes: entry takes only the time; exit passes
 * receiver, arguments, return value and exception, from which the probe's extractors read the
 * key, versions, value and outcome. JDK types and the bootstrap {@link Dispatcher} only.
 */
public final class CallAdvice {
  private CallAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @ProbeId int probeId,
      @Advice.Enter long token,
      @Advice.This(optional = true, typing = Assigner.Typing.DYNAMIC) Object self,
      @Args.Ref(-1) Object returned,
      @Args.Bits(-1) long retBits,
      @Advice.Thrown Throwable thrown,
      @Args.Mask int mask,
      @Args.Ref(0) Object a0, @Args.Ref(1) Object a1, @Args.Ref(2) Object a2,
      @Args.Ref(3) Object a3, @Args.Ref(4) Object a4, @Args.Ref(5) Object a5,
      @Args.Bits(0) long p0, @Args.Bits(1) long p1, @Args.Bits(2) long p2,
      @Args.Bits(3) long p3, @Args.Bits(4) long p4, @Args.Bits(5) long p5) {
    Dispatcher.exitCall(probeId, token, self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
  }
}
