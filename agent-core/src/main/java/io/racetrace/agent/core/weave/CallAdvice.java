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
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object a0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
      @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2,
      @Advice.Argument(value = 3, optional = true, typing = Assigner.Typing.DYNAMIC) Object a3,
      @Advice.Argument(value = 4, optional = true, typing = Assigner.Typing.DYNAMIC) Object a4,
      @Advice.Argument(value = 5, optional = true, typing = Assigner.Typing.DYNAMIC) Object a5) {
    Dispatcher.exitCall(probeId, token, self, returned, thrown, a0, a1, a2, a3, a4, a5);
  }
}
