/**
 * The trace format: the contract between the racetrace agent, which writes captures, and the
 * analyzer, which reads them. Everything about the byte layout lives in {@link
 * io.racetrace.trace.TraceSchema} and is described for humans in {@code TRACE_FORMAT.md} at the
 * repository root; the codec here is the only code that reads or writes those bytes.
 *
 * <p>Rule for this package: no dependency but Chronicle Queue and the JDK, because the agent loads
 * it inside the application's JVM (in its isolated class loader).
 */
package io.racetrace.trace;
