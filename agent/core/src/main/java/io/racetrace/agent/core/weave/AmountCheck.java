package io.racetrace.agent.core.weave;

import io.racetrace.agent.core.extract.ExtractorPath;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Whether a write probe's {@code amount:} can give a number of units in one method, judged from
 * the types the method and its classes declare, when the probe is woven (and by {@code probes
 * check}, from the class path). An amount that is a string, a boolean or an object would otherwise
 * be captured as its hash code, and the invariant would add hash codes up as units.
 *
 * <p>Only what the declarations settle is refused: a path whose root or member is declared as a
 * non-numeric class (a {@code String}, an enum, a record). A member the walk cannot find
 * statically, a generic or an interface type ({@code Object}, {@code Optional}, {@code Comparable})
 * may hold a number at run time and passes; the capture then leaves a value that is not a number
 * out (see {@code CaptureSink}).
 */
public final class AmountCheck {
  private static final TypeDescription NUMBER = TypeDescription.ForLoadedType.of(Number.class);

  private AmountCheck() {}

  /**
   * Why {@code amount} cannot be a number in {@code m}, as the end of a sentence ("arg1 of
   * a.Ledger#debit(String, String) is a java.lang.String, not a number"), or null if it can be (or
   * the declarations do not tell).
   */
  public static String problem(ExtractorPath amount, MethodDescription m) {
    try {
      return declaredProblem(amount, m);
    } catch (RuntimeException e) {
      return null; // a type the class path cannot describe: weaving must go on, the run time decides
    }
  }

  private static String declaredProblem(ExtractorPath amount, MethodDescription m) {
    TypeDefinition t;
    String what;
    switch (amount.root()) {
      case ARG:
        if (amount.argIndex() >= m.getParameters().size()) {
          return null; // no such argument: absent, as for any field
        }
        t = m.getParameters().get(amount.argIndex()).getType();
        what = "arg" + amount.argIndex();
        break;
      case THIS:
        if (m.isStatic()) {
          return null;
        }
        t = m.getDeclaringType();
        what = "this";
        break;
      case RETURN:
        if (m.getReturnType().represents(void.class)) {
          return null; // a void method's return is absent
        }
        t = m.getReturnType();
        what = "return";
        break;
      default:
        return null; // a constant is a number; thrown is refused by the probe parser
    }
    for (ExtractorPath.Step step : amount.steps()) {
      t = memberType(t, step);
      if (t == null) {
        return null; // not found in the declarations: decided at run time
      }
      what += "." + step;
    }
    if (numeric(t)) {
      return null;
    }
    return what + " of " + signature(m) + " is " + describe(t) + ", not a number";
  }

  /** A primitive number, or a class that is a {@code Number} or could hold one. */
  private static boolean numeric(TypeDefinition t) {
    if (t.isPrimitive()) {
      return !t.represents(boolean.class) && !t.represents(char.class) && !t.represents(void.class);
    }
    TypeDescription e = t.asErasure();
    if (e.isArray()) {
      return false;
    }
    return e.isInterface() || e.isAssignableTo(NUMBER) || e.isAssignableFrom(NUMBER);
  }

  /**
   * The declared type of a member step, resolved as the extractor resolves it (a field, else a
   * method {@code name()}, {@code getName()}, {@code isName()}; a call with constants by name and
   * arity), or null where the declarations do not say.
   */
  private static TypeDefinition memberType(TypeDefinition owner, ExtractorPath.Step step) {
    if (owner.isPrimitive() || owner.asErasure().isArray()) {
      return null;
    }
    if (!step.call()) {
      for (TypeDefinition c = owner; c != null; c = c.getSuperClass()) {
        for (FieldDescription f : c.getDeclaredFields()) {
          if (f.getName().equals(step.name()) && !f.isStatic()) {
            return f.getType();
          }
        }
      }
    }
    String cap = Character.toUpperCase(step.name().charAt(0)) + step.name().substring(1);
    String[] names = step.call() ? new String[] {step.name()} : new String[] {step.name(), "get" + cap, "is" + cap};
    for (String name : names) {
      for (TypeDefinition c = owner; c != null; c = c.getSuperClass()) {
        for (MethodDescription m : c.getDeclaredMethods()) {
          if (m.getName().equals(name) && m.getParameters().size() == step.args().size() && !m.isStatic()
              && !m.getReturnType().represents(void.class) && !m.isBridge()) {
            return m.getReturnType();
          }
        }
      }
    }
    return null;
  }

  private static String describe(TypeDefinition t) {
    if (t.isPrimitive()) {
      return "a " + t.getTypeName();
    }
    TypeDescription e = t.asErasure();
    return (e.isEnum() ? "the enum " : e.isRecord() ? "the record " : "a ") + (e.isArray() ? e.getCanonicalName() : e.getName());
  }

  /** {@code owner#name(SimpleTypes)}, as {@code probes check} prints a method. */
  static String signature(MethodDescription m) {
    StringBuilder sb = new StringBuilder(m.getDeclaringType().asErasure().getName()).append('#').append(m.getName()).append('(');
    for (int i = 0; i < m.getParameters().size(); i++) {
      TypeDescription p = m.getParameters().get(i).getType().asErasure();
      String n = p.isArray() ? p.getCanonicalName() : p.getName();
      n = n.substring(n.lastIndexOf('.') + 1);
      sb.append(i == 0 ? "" : ", ").append(n.substring(n.lastIndexOf('$') + 1));
    }
    return sb.append(')').toString();
  }
}
