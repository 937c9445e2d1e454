package io.racetrace.agent.core.weave;

import static io.racetrace.agent.core.weave.Roots.AMOUNT;
import static io.racetrace.agent.core.weave.Roots.EXPECTED;
import static io.racetrace.agent.core.weave.Roots.KEY;
import static io.racetrace.agent.core.weave.Roots.SUCCESS;
import static io.racetrace.agent.core.weave.Roots.VALUE;
import static io.racetrace.agent.core.weave.Roots.WRITTEN;

import io.racetrace.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Advice for write probes: the roots of the key, expected and written versions, value, success and
 * amount, at exit. See {@link RequestAdvice}.
 */
public final class WriteAdvice {
  private WriteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@ProbeId int probeId) {
    return Dispatcher.enterCall(probeId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@ProbeId int probeId, @Advice.Enter long token,
      @Roots.Mask({KEY, EXPECTED, WRITTEN, VALUE, SUCCESS, AMOUNT}) int mask,
      @Roots.Ref(KEY) Object keyRef, @Roots.Bits(KEY) long keyBits,
      @Roots.Ref(EXPECTED) Object expectedRef, @Roots.Bits(EXPECTED) long expectedBits,
      @Roots.Ref(WRITTEN) Object writtenRef, @Roots.Bits(WRITTEN) long writtenBits,
      @Roots.Ref(VALUE) Object valueRef, @Roots.Bits(VALUE) long valueBits,
      @Roots.Ref(SUCCESS) Object successRef, @Roots.Bits(SUCCESS) long successBits,
      @Roots.Ref(AMOUNT) Object amountRef, @Roots.Bits(AMOUNT) long amountBits, @Advice.Thrown Throwable thrown) {
    Dispatcher.exitWrite(probeId, token, mask, keyRef, keyBits, expectedRef, expectedBits, writtenRef, writtenBits,
        valueRef, valueBits, successRef, successBits, amountRef, amountBits, thrown);
  }
}
