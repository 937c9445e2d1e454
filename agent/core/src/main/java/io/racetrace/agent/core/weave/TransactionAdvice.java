package io.racetrace.agent.core.weave;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Advice for commit and rollback probes: no values, only the exception, at exit, where the
 * boundary is known to have happened or failed. See {@link RequestAdvice}.
 */
public final class TransactionAdvice {
  private TransactionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token, @Advice.Thrown Throwable thrown) {
    Dispatcher.exitTransaction(probeId, token, thrown);
  }
}
