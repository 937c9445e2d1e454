/**
 * The agent core: loaded by the agent's isolated class loader, with ByteBuddy, Chronicle Queue and
 * Jackson, none of which the application can see. Entry point: {@link
 * io.racetrace.agent.core.AgentStarter#start}, called reflectively by the premain class.
 *
 * <p>Sub-packages: {@code probe} (the probe file), {@code extract} (extractor paths to method
 * handles), {@code weave} (ByteBuddy advice and installation), {@code capture} (rows, ring, writer
 * thread), {@code jpms} (module opens for Chronicle).
 */
package io.racetrace.agent.core;
