package io.racetrace.agent.core.weave;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * Which classes the agent weaves: those a probe names (one hash lookup per class loaded), and,
 * for probes with {@code subtypes: true}, the concrete classes that implement or extend the type
 * they name. The second test walks a class's supertypes, so it runs only for class loaders that
 * can see one of those types at all (a resource lookup, cached per loader, as OpenTelemetry's
 * agent guards its interface matchers), never for interfaces, abstract classes, or generated
 * subclasses ({@code $$} in the name: CGLIB and ByteBuddy proxies, which call the method they
 * override, woven itself, so weaving them too would count each call twice). JDK dynamic proxies
 * are implementations like any other here: their methods have bodies (the handler's call), and
 * for a Spring Data repository's derived queries they are the only ones; the capture keeps a call
 * the handler forwards to a woven implementation from counting twice.
 */
final class TypeMatcher implements AgentBuilder.RawMatcher {
  private final Set<String> names;
  private final Set<String> supertypes;
  private final String[] resources;
  private final Map<ClassLoader, Boolean> sees = new WeakHashMap<>();

  TypeMatcher(Set<String> names, Set<String> supertypes) {
    this.names = Set.copyOf(names);
    this.supertypes = Set.copyOf(supertypes);
    this.resources = supertypes.stream().map(n -> n.replace('.', '/') + ".class").toArray(String[]::new);
  }

  @Override
  public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain) {
    if (names.contains(type.getName())) {
      return true;
    }
    if (supertypes.isEmpty() || loader == null || type.isInterface() || type.isAbstract() || type.getName().contains("$$")
        || !seesASupertype(loader)) {
      return false;
    }
    for (String s : supertypes) {
      if (isSubtype(type, s)) {
        return true;
      }
    }
    return false;
  }

  private boolean seesASupertype(ClassLoader loader) {
    synchronized (sees) {
      Boolean known = sees.get(loader);
      if (known != null) {
        return known;
      }
    }
    boolean found = false;
    for (String r : resources) {
      if (loader.getResource(r) != null) {
        found = true;
        break;
      }
    }
    synchronized (sees) {
      sees.put(loader, found);
    }
    return found;
  }

  /** Whether {@code type} is a JDK dynamic proxy class ({@code $ProxyN}, extending {@code java.lang.reflect.Proxy}). */
  static boolean isJdkProxy(TypeDescription type) {
    if (!type.getName().contains("$Proxy")) {
      return false;
    }
    try {
      TypeDescription.Generic s = type.getSuperClass();
      return s != null && s.asErasure().getName().equals("java.lang.reflect.Proxy");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code type} is a concrete, non-generated class implementing or extending {@code supertype}. */
  static boolean isSubtype(TypeDescription type, String supertype) {
    if (type.isInterface() || type.isAbstract() || type.getName().contains("$$") || type.getName().equals(supertype)) {
      return false;
    }
    try {
      return hasSuperType(named(supertype)).matches(type);
    } catch (RuntimeException e) {
      return false; // a supertype that cannot be resolved: not a class the probe can mean
    }
  }
}
