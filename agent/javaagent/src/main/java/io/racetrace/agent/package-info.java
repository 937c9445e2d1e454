/**
 * The only classes of the agent jar that the system class loader sees: the premain/agentmain entry
 * point, which sets up the bootstrap bridge and the agent's isolated class loader and delegates.
 *
 * <p>Rule for this package: JDK types only, never throw out of premain or agentmain, keep it tiny.
 */
package io.racetrace.agent;
