/**
 * The bridge between woven application code and the agent. These classes are appended to the
 * bootstrap class path, so that advice inlined into a class of any class loader (a servlet
 * container's, a Spring Boot fat jar's, a custom one) can call them.
 *
 * <p>Rule for this package: JDK types only, no state that references the agent's class loader
 * except through the {@link io.racetrace.agent.bootstrap.ProbeSink} interface, which is cleared
 * on detach. Anything kept per application thread ({@link io.racetrace.agent.bootstrap.ThreadContext})
 * is a bootstrap class, so a detached agent's class loader can be collected even while the
 * application's pool threads live on.
 */
package io.racetrace.agent.bootstrap;
