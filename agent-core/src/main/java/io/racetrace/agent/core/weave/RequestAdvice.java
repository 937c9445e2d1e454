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
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object a0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
      @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2,
      @Advice.Argument(value = 3, optional = true, typing = Assigner.Typing.DYNAMIC) Object a3,
      @Advice.Argument(value = 4, optional = true, typing = Assigner.Typing.DYNAMIC) Object a4,
      @Advice.Argument(value = 5, optional = true, typing = Assigner.Typing.DYNAMIC) Object a5) {
    return Dispatcher.enterRequest(probeId, self, a0, a1, a2, a3, a4, a5);
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
    Dispatcher.exitRequest(probeId, token, self, returned, thrown, a0, a1, a2, a3, a4, a5);
  }
}
