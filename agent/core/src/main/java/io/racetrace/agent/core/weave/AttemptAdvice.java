package io.racetrace.agent.core.weave;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/** Advice for attempt probes: no values, only the event. See {@link RequestAdvice}. */
public final class AttemptAdvice {
  private AttemptAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token) {
    Dispatcher.exitAttempt(probeId, token);
  }
}
