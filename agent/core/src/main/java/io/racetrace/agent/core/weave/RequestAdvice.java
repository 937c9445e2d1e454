package io.racetrace.agent.core.weave;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice for request probes: inlined at entry and exit of the probed method. It refers only to
 * JDK types and the bootstrap {@link Dispatcher}, so it links in any class loader. Entry passes
 * the arguments (the request id and key are taken there); the token returned at entry comes
 * back at exit through {@code @Advice.Enter}.
 */
public final class RequestAdvice {
  private RequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(
      @ProbeId int probeId,
      @Advice.This(optional = true, typing = Assigner.Typing.DYNAMIC) Object self,
      @Args.Mask int mask,
      @Args.Ref(0) Object a0, @Args.Ref(1) Object a1, @Args.Ref(2) Object a2,
      @Args.Ref(3) Object a3, @Args.Ref(4) Object a4, @Args.Ref(5) Object a5,
      @Args.Bits(0) long p0, @Args.Bits(1) long p1, @Args.Bits(2) long p2,
      @Args.Bits(3) long p3, @Args.Bits(4) long p4, @Args.Bits(5) long p5) {
    return Dispatcher.enterRequest(probeId, self, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
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
    Dispatcher.exitRequest(probeId, token, self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
  }
}
