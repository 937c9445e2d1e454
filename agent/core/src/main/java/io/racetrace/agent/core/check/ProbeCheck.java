package io.racetrace.agent.core.check;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.weave.AmountCheck;
import io.racetrace.agent.core.weave.ProbeInstaller;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * What each probe of a probe file would weave in an application, found from its class path
 * without running it: the methods a probe matches, the same way the agent matches them, and for a
 * probe that matches nothing, why and the nearest candidates (a class of the same simple name in
 * another package, the implementations of an interface, a method of a similar name, an overload
 * the probe's {@code params} rule out, a method declared by a superclass).
 */
public final class ProbeCheck {
  /** Candidates listed per probe at most. */
  static final int MAX_CANDIDATES = 8;

  /**
   * The outcome for one probe; {@code problems}: what is wrong in methods it matches (an amount
   * that cannot be a number there), each one line, as the agent would say when weaving them.
   */
  public record Result(ProbeSpec probe, List<String> methods, List<String> reasons, List<String> candidates,
      List<String> problems) {
    Result(ProbeSpec probe, List<String> methods, List<String> reasons, List<String> candidates) {
      this(probe, methods, reasons, candidates, List.of());
    }

    public boolean matched() {
      return !methods.isEmpty();
    }
  }

  private final ClassPathIndex index;
  private final TypePool pool;

  public ProbeCheck(ClassPathIndex index) {
    this.index = index;
    this.pool = TypePool.Default.of(index.locator());
  }

  public List<Result> check(List<ProbeSpec> probes) {
    List<Result> out = new ArrayList<>();
    for (ProbeSpec p : probes) {
      out.add(check(p));
    }
    return out;
  }

  Result check(ProbeSpec p) {
    List<String> reasons = new ArrayList<>();
    Set<String> candidates = new LinkedHashSet<>();
    String refusal = ProbeInstaller.refusal(p.className());
    if (refusal != null) {
      return new Result(p, List.of(), List.of(refusal), List.of());
    }
    TypePool.Resolution r = pool.describe(p.className());
    // A JDK type resolves without being on the class path: a subtypes probe on it (java.sql.Connection
    // for a transaction boundary) weaves the implementations that are, so it is checked like any other.
    if (!r.isResolved() || !(index.classNames().contains(p.className()) || p.subtypes())) {
      reasons.add("no class " + p.className() + " on the class path");
      String simple = simpleName(p.className());
      for (String c : index.classNames()) {
        String s = simpleName(c);
        if (s.equalsIgnoreCase(simple) || distance(s.toLowerCase(Locale.ROOT), simple.toLowerCase(Locale.ROOT)) <= 2) {
          candidates.add("class " + c);
        }
      }
      return result(p, List.of(), reasons, candidates);
    }
    TypeDescription type = r.resolve();
    List<String> methods = new ArrayList<>();
    Set<String> problems = new LinkedHashSet<>();
    for (MethodDescription m : type.getDeclaredMethods().filter(ProbeInstaller.methodMatcher(p))) {
      methods.add(signature(type, m));
      amountProblem(p, m, problems);
    }
    if (p.subtypes()) {
      for (String impl : implementations(type, Integer.MAX_VALUE)) {
        TypeDescription t = pool.describe(impl).resolve();
        if (!impl.contains("$$")) {
          for (MethodDescription m : t.getDeclaredMethods().filter(ProbeInstaller.methodMatcher(p))) {
            methods.add(signature(t, m));
            amountProblem(p, m, problems);
          }
        }
      }
    }
    if (!methods.isEmpty()) {
      return new Result(p, methods, List.of(), List.of(), List.copyOf(problems));
    }
    boolean named = false;
    for (MethodDescription m : type.getDeclaredMethods()) {
      if (m.getName().equals(p.method())) {
        named = true;
        if (m.isAbstract()) {
          reasons.add(signature(type, m) + " is abstract: it has no body to weave");
        } else if (p.params() != null) {
          candidates.add(signature(type, m) + " (not selected by params " + p.params() + ")");
        }
      }
    }
    if (type.isInterface() || type.isAbstract()) {
      reasons.add(type.getName() + " is " + (type.isInterface() ? "an interface" : "abstract")
          + (p.subtypes() ? " and none of its implementations on the class path declares " + p.method() + "()"
              + (type.isInterface() ? " (JDK proxies implementing it, such as Spring Data repositories, exist only at"
                  + " run time and are woven too: check against the running JVM)" : "")
              : ": add 'subtypes: true' to weave its implementations, or name the class that implements " + p.method() + "()"));
      for (String impl : implementations(type, MAX_CANDIDATES)) {
        TypeDescription t = pool.describe(impl).resolve();
        boolean declares = !t.getDeclaredMethods().filter(named(p.method())).isEmpty();
        candidates.add(declares ? "method " + impl + "#" + p.method() : "class " + impl);
      }
    }
    if (!named) {
      reasons.add(type.getName() + " declares no method " + p.method());
      for (TypeDefinition s = type.getSuperClass(); s != null && !s.represents(Object.class); s = s.getSuperClass()) {
        if (!s.getDeclaredMethods().filter(named(p.method())).isEmpty()) {
          candidates.add("method " + s.getTypeName() + "#" + p.method() + " (declared by the superclass: name it)");
        }
      }
      for (MethodDescription m : type.getDeclaredMethods()) {
        if (!m.isConstructor() && !m.isTypeInitializer() && similar(m.getName(), p.method())) {
          candidates.add("method " + signature(type, m));
        }
      }
    }
    return result(p, List.of(), reasons, candidates);
  }

  private static void amountProblem(ProbeSpec p, MethodDescription m, Set<String> problems) {
    String problem = p.amount() == null ? null : AmountCheck.problem(p.amount(), m);
    if (problem != null) {
      problems.add("amount: " + problem);
    }
  }

  private static Result result(ProbeSpec p, List<String> methods, List<String> reasons, Set<String> candidates) {
    List<String> c = new ArrayList<>(candidates);
    return new Result(p, methods, reasons, c.size() > MAX_CANDIDATES ? c.subList(0, MAX_CANDIDATES) : c);
  }

  /** Concrete classes of the class path that extend or implement {@code type}. */
  private List<String> implementations(TypeDescription type, int max) {
    List<String> out = new ArrayList<>();
    for (String c : index.classNames()) {
      if (c.equals(type.getName())) {
        continue;
      }
      TypePool.Resolution r = pool.describe(c);
      try {
        if (r.isResolved() && !r.resolve().isInterface() && !r.resolve().isAbstract()
            && hasSuperType(named(type.getName())).matches(r.resolve())) {
          out.add(c);
          if (out.size() == max) {
            break;
          }
        }
      } catch (RuntimeException e) {
        // a class whose supertypes are not on the class path: not a candidate we can show
      }
    }
    return out;
  }

  private static String signature(TypeDescription owner, MethodDescription m) {
    StringBuilder sb = new StringBuilder(owner.getName()).append('#').append(m.getName()).append('(');
    for (int i = 0; i < m.getParameters().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(simpleName(m.getParameters().get(i).getType().asErasure().getName()));
    }
    return sb.append(')').toString();
  }

  private static String simpleName(String className) {
    String s = className.substring(className.lastIndexOf('.') + 1);
    return s.substring(s.lastIndexOf('$') + 1);
  }

  static boolean similar(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    return x.equals(y) || distance(x, y) <= Math.min(2, Math.max(1, y.length() / 3));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
