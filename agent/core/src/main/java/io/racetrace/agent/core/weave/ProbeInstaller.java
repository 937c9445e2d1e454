package io.racetrace.agent.core.weave;

import static net.bytebuddy.matcher.ElementMatchers.*;

import io.racetrace.agent.bootstrap.Dispatcher;
import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.probe.Role;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the probes of a probe file into the classes they name, at load time and (when attached
 * to a running JVM) by retransforming classes already loaded.
 *
 * <p>Start-up cost: the type matcher compares class names only ({@code namedOneOf}), so classes
 * that no probe names cost one hash lookup; type descriptions come from the class file where there
 * is one (POOL_FIRST: generated classes such as proxies have none), without loading anything. The
 * class format is never changed (advice is inlined, no field or method is added), so
 * retransformation works and {@link ResettableClassFileTransformer#reset} restores the original
 * bytecode on detach.
 *
 * <p>JDK dynamic proxies ({@code java.lang.reflect.Proxy} subclasses) are ignored unless a probe
 * has {@code subtypes: true}; then a proxy implementing the type such a probe names is woven like
 * any implementation (a Spring Data repository's derived query methods exist only on its proxy).
 * Its methods carry {@link ProbeId#PROXY}, and the capture counts a call forwarded by the proxy's
 * handler to a woven implementation of the same probe once, as the proxy's (see
 * {@code CaptureSink}). Proxies of public interfaces live in dynamic named modules
 * ({@code jdk.proxyN}) that read only what their interfaces need, not the bootstrap class loader's
 * unnamed module the bridge is in. HotSpot adds that read edge itself to a module whose classes an
 * agent transformed ({@code jdk.internal.module.Modules.transformedByAgent}); the agent does not
 * rely on it and adds the edge before the woven class links, as OpenTelemetry's
 * {@code ExposeAgentBootstrapListener} does.
 *
 * <p>Refuses classes where weaving could recurse into the agent or destabilise the JVM
 * (the agent's own packages, its libraries, {@code java.lang.Object}, thread locals, references,
 * method handles, JDK internals).
 */
public final class ProbeInstaller {
  private static final String[] REFUSED_PREFIXES = {
    "io.racetrace.agent.bootstrap.", "io.racetrace.agent.core.", "io.racetrace.agent.RacetracePremain", "io.racetrace.trace.", "net.bytebuddy.", "net.openhft.", "com.fasterxml.jackson.",
    "java.lang.Object", "java.lang.ThreadLocal", "java.lang.Thread", "java.lang.ref.", "java.lang.invoke.",
    "jdk.internal.", "sun.", "com.sun.",
  };

  private final ProbeRegistry registry;
  /** A probe's index to the id woven into its methods (the capture's epoch added; see {@link ProbeId}). */
  private final java.util.function.IntUnaryOperator wovenId;

  public ProbeInstaller(ProbeRegistry registry, java.util.function.IntUnaryOperator wovenId) {
    this.registry = registry;
    this.wovenId = wovenId;
  }

  /** Returns the probes' class names that may not be woven, with the reason. */
  public static String refusal(String className) {
    for (String p : REFUSED_PREFIXES) {
      if (className.startsWith(p)) {
        return "racetrace does not weave " + p + "* classes";
      }
    }
    return null;
  }

  public ResettableClassFileTransformer install(Instrumentation inst) throws NoSuchMethodException {
    Map<String, List<Binding>> byClass = new HashMap<>();
    Map<String, List<Binding>> bySupertype = new HashMap<>();
    List<ProbeSpec> specs = registry.specs();
    Advice.ExceptionHandler countErrors = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
        new MethodDescription.ForLoadedMethod(Dispatcher.class.getMethod("adviceError", Throwable.class))));
    for (int id = 0; id < specs.size(); id++) {
      ProbeSpec s = specs.get(id);
      if (refusal(s.className()) != null) {
        AgentLog.warn("probe " + s.name() + ": " + refusal(s.className()) + "; probe ignored");
        continue;
      }
      int woven = wovenId.applyAsInt(id);
      Advice advice = withProbeId(s, woven).withExceptionHandler(countErrors);
      Advice proxyAdvice = s.subtypes() ? withProbeId(s, woven | ProbeId.PROXY).withExceptionHandler(countErrors) : advice;
      // A read or write probe on a supertype reaches delegation chains (an EntityManager wrapper
      // calling the session, an overload calling another): the outermost call stands for them, as
      // a JDK proxy's does. Transaction boundaries keep the innermost too: a driver's commit()
      // returns first, and its row is the one that says the store committed.
      boolean outermostOnly = s.subtypes() && (s.role() == Role.READ || s.role() == Role.WRITE);
      (s.subtypes() ? bySupertype : byClass).computeIfAbsent(s.className(), k -> new ArrayList<>())
          .add(new Binding(id, methodMatcher(s), advice, proxyAdvice, outermostOnly));
    }

    // Proxies stay ignored unless a subtypes probe may concern them (TypeMatcher then decides).
    ElementMatcher.Junction<TypeDescription> proxies = nameContains("$Proxy");
    if (!bySupertype.isEmpty()) {
      proxies = proxies.and(not((ElementMatcher<TypeDescription>) TypeMatcher::isJdkProxy));
    }
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(32))
        .with(AgentBuilder.RedefinitionStrategy.Listener.BatchReallocator.splitting())
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        .with(new Listener())
        // Woven code calls the bridge: a class in a named module (a jdk.proxyN proxy) must read it.
        // HotSpot already grants it to modules an agent transformed; this keeps us from relying on that.
        .assureReadEdgeTo(inst, Dispatcher.class)
        .ignore(isSynthetic()
            .or(nameStartsWith("io.racetrace.agent.bootstrap.")).or(nameStartsWith("io.racetrace.agent.core."))
            .or(nameStartsWith("net.bytebuddy.")).or(nameStartsWith("jdk.internal.reflect."))
            .or(nameStartsWith("sun.reflect.")).or(nameContains("$$Lambda")).or(proxies));
    return builder
        .type(new TypeMatcher(byClass.keySet(), bySupertype.keySet()))
        .transform((DynamicType.Builder<?> b, TypeDescription type, ClassLoader loader, JavaModule module,
            java.security.ProtectionDomain pd) -> weave(b, type, bindings(type, byClass, bySupertype)))
        .installOn(inst);
  }

  private static Advice withProbeId(ProbeSpec s, int probeId) {
    Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(ProbeId.class, probeId);
    for (Advice.OffsetMapping.Factory<?> f : Roots.factories(s)) {
      mapping = mapping.bind(f);
    }
    return mapping.to(adviceFor(s.role()));
  }

  private static Class<?> adviceFor(Role role) {
    switch (role) {
      case REQUEST: return RequestAdvice.class;
      case ARRIVAL: return ArrivalAdvice.class;
      case READ: return ReadAdvice.class;
      case WRITE: return WriteAdvice.class;
      case ATTEMPT: return AttemptAdvice.class;
      case COMMIT:
      case ROLLBACK: return TransactionAdvice.class;
      default: throw new AssertionError(role);
    }
  }

  /** The probes of a type: those naming it, then those naming a supertype of it with {@code subtypes: true}. */
  private static List<Binding> bindings(TypeDescription type, Map<String, List<Binding>> byClass,
      Map<String, List<Binding>> bySupertype) {
    List<Binding> out = new ArrayList<>(byClass.getOrDefault(type.getName(), List.of()));
    for (Map.Entry<String, List<Binding>> e : bySupertype.entrySet()) {
      if (TypeMatcher.isSubtype(type, e.getKey())) {
        out.addAll(e.getValue());
      }
    }
    return out;
  }

  private DynamicType.Builder<?> weave(DynamicType.Builder<?> b, TypeDescription type, List<Binding> bindings) {
    if (bindings == null || bindings.isEmpty()) {
      return b;
    }
    boolean proxy = TypeMatcher.isJdkProxy(type);
    for (Binding binding : bindings) {
      int n = type.getDeclaredMethods().filter(binding.methods).size();
      registry.matched(binding.probeId, type.getName(), n);
      ExtractorPath amount = registry.specs().get(binding.probeId).amount();
      if (amount != null && n > 0) {
        for (MethodDescription m : type.getDeclaredMethods().filter(binding.methods)) {
          String problem = AmountCheck.problem(amount, m); // Roots binds no root for it in m
          if (problem != null) {
            registry.amountProblem(binding.probeId, problem);
          }
        }
      }
      if (n > 0) {
        b = b.visit((proxy || binding.outermostOnly ? binding.proxyAdvice : binding.advice).on(binding.methods));
      }
    }
    return b;
  }

  /** The methods a probe weaves, in a class its {@code class} names: also what {@code probes check} lists. */
  public static ElementMatcher.Junction<MethodDescription> methodMatcher(ProbeSpec s) {
    ElementMatcher.Junction<MethodDescription> byName = "*".equals(s.method()) ? ElementMatchers.any() : named(s.method());
    ElementMatcher.Junction<MethodDescription> m = byName
        .and(not(isAbstract())).and(not(isNative())).and(not(isConstructor())).and(not(isTypeInitializer()))
        .and(not(isBridge())).and(not(isSynthetic()));
    if (s.annotation() != null) {
      m = m.and(isAnnotatedWith(named(s.annotation())));
    }
    if (s.params() != null) {
      m = m.and(takesArguments(s.params().size()));
      for (int i = 0; i < s.params().size(); i++) {
        String t = s.params().get(i).trim();
        m = m.and(takesArgument(i, named(t).or(nameEndsWith("." + t)).or(nameEndsWith("$" + t))));
      }
    }
    return m;
  }

  private static final class Binding {
    final int probeId;
    final ElementMatcher.Junction<MethodDescription> methods;
    final Advice advice;
    /** The advice for a JDK proxy's methods: the probe id carries {@link ProbeId#PROXY}. */
    final Advice proxyAdvice;

    /** Nested calls of the probe on the thread are counted once, as the outermost (see install). */
    final boolean outermostOnly;

    Binding(int probeId, ElementMatcher.Junction<MethodDescription> methods, Advice advice, Advice proxyAdvice,
        boolean outermostOnly) {
      this.outermostOnly = outermostOnly;
      this.probeId = probeId;
      this.methods = methods;
      this.advice = advice;
      this.proxyAdvice = proxyAdvice;
    }
  }

  /** Logs and counts weaving errors (tests fail on them); logs transformations in debug mode. */
  private final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      AgentLog.debug("woven " + type.getName() + (loaded ? " (retransformed)" : ""));
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
      AgentLog.error("cannot weave " + typeName + ": " + throwable);
    }
  }
}
