package io.racetrace.agent.core.extract;

import io.racetrace.agent.bootstrap.ThreadContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import io.racetrace.agent.core.probe.EntitySpec;
import java.util.List;

/**
 * Evaluates an {@link ExtractorPath} on the values of one probed call.
 *
 * <p>Each step is resolved once per runtime class into a {@link MethodHandle} and cached in a
 * {@link ClassValue} (which does not keep application classes alive), so a call costs a class-value
 * lookup and a handle invocation per step: no reflection, no allocation beyond what the app's own
 * getters do. A primitive at the end of a path is read through a {@code (Object)long} handle, so
 * {@link #asLong} does not box.
 *
 * <p>Failure handling: a null anywhere on the path yields "absent", and so does an empty
 * {@link java.util.Optional} met by {@code get} or {@code orElseThrow} (a repository's
 * {@code findBySku(...)} for a row that is not there: Java's null, not a failing getter); a member that does not exist
 * is reported once through the {@link Problems} callback and yields "absent"; an exception thrown
 * by an application getter propagates to the caller, which counts it.
 */
public final class Extractor {
  /** Marker for "no value": the path met a null, or its member is missing. */
  public static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<absent>";
    }
  };

  /**
   * Marker of an entity step ({@code @key}) met on a class that is not one of the probe file's
   * entities: the call is not one the probe records.
   */
  public static final Object NOT_ENTITY = new Object() {
    @Override
    public String toString() {
      return "<not an entity>";
    }
  };

  /** Receives resolution problems; called at most once per step and class. */
  public interface Problems {
    void report(String message);
  }

  private static final MethodType OBJ = MethodType.methodType(Object.class, Object.class);
  private static final MethodType LONG = MethodType.methodType(long.class, Object.class);
  private static final MethodHandle MISSING;
  private static final MethodHandle BOOL_TO_LONG;
  /** {@code Optional.orElse(null)}, as {@code (Object)Object}: what {@code get} of an Optional means to a path. */
  private static final MethodHandle OPTIONAL_OR_NULL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      MISSING = MethodHandles.constant(Object.class, ABSENT);
      BOOL_TO_LONG = l.findStatic(Extractor.class, "boolToLong", MethodType.methodType(long.class, boolean.class));
      OPTIONAL_OR_NULL = MethodHandles.insertArguments(
          l.findVirtual(java.util.Optional.class, "orElse", MethodType.methodType(Object.class, Object.class)), 1,
          new Object[] {null}).asType(OBJ);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ExtractorPath path;
  private final StepCache[] steps;

  public Extractor(ExtractorPath path, String probeName, Problems problems) {
    this(path, probeName, problems, List.of());
  }

  /** @param entities the probe file's entities, which the entity steps ({@code @key}, {@code @value}) read */
  public Extractor(ExtractorPath path, String probeName, Problems problems, List<EntitySpec> entities) {
    this.path = path;
    List<ExtractorPath.Step> s = path.steps();
    this.steps = new StepCache[s.size()];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = new StepCache(s.get(i), probeName + ": " + path, problems, entities);
    }
  }

  public ExtractorPath path() {
    return path;
  }

  /**
   * Whether the path is its bare root and that root is a primitive ({@code rootPrimitive}, as the
   * woven advice says) or a constant: then {@link #bits} gives its value without boxing.
   */
  public boolean isPrimitive(boolean rootPrimitive) {
    if (steps.length != 0 || path.comparison() != null) {
      return false;
    }
    switch (path.root()) {
      case ARG:
      case RETURN:
        return rootPrimitive;
      case CONSTANT:
        return true;
      default:
        return false;
    }
  }

  /** The primitive value of a path for which {@link #isPrimitive} holds, given its root's bits. */
  public long bits(long rootBits) {
    return path.root() == ExtractorPath.Root.CONSTANT ? path.constant() : rootBits;
  }

  /**
   * The path's root value, from what the advice passed for it ({@code ref}, or {@code bits} when
   * {@code rootPrimitive}) and the call's exception; primitives are boxed.
   */
  public Object root(Object ref, long bits, boolean rootPrimitive, Throwable thrown) {
    switch (path.root()) {
      case THROWN: return thrown;
      case CONSTANT: return Long.valueOf(path.constant());
      default: return rootPrimitive ? Long.valueOf(bits) : ref;
    }
  }

  /** The value at the end of the path as an object, or {@link #ABSENT}. */
  public Object asObject(Object ref, long bits, boolean rootPrimitive, Throwable thrown) throws Throwable {
    return asObject(root(ref, bits, rootPrimitive, thrown));
  }

  /** The value at the end of the path, starting from {@code root}, as an object, or {@link #ABSENT}. */
  public Object asObject(Object root) throws Throwable {
    Object v = root;
    for (StepCache step : steps) {
      if (v == null || v == ABSENT) {
        return ABSENT;
      }
      if (v == NOT_ENTITY) {
        return NOT_ENTITY;
      }
      v = (Object) step.get(v.getClass()).obj.invokeExact(v);
    }
    if (v == null || v == ABSENT || v == NOT_ENTITY) {
      return v == NOT_ENTITY ? NOT_ENTITY : ABSENT;
    }
    ExtractorPath.Comparison cmp = path.comparison();
    return cmp == null ? v : Boolean.valueOf(matches(v, cmp.literal()) == cmp.equal());
  }

  /**
   * Whether a value equals a constant of the probe file: an enum by its name, a number or
   * character by its value, a boolean as such, anything else by its string form.
   */
  static boolean matches(Object v, Object literal) {
    if (literal instanceof String) {
      return v instanceof Enum<?> ? ((Enum<?>) v).name().equals(literal) : literal.equals(String.valueOf(v));
    }
    if (literal instanceof Long) {
      if (v instanceof Number) {
        return ((Number) v).longValue() == (Long) literal && !(v instanceof Double || v instanceof Float)
            || (v instanceof Double || v instanceof Float) && ((Number) v).doubleValue() == (Long) literal;
      }
      if (v instanceof Character) {
        return (long) (Character) v == (Long) literal;
      }
      return false;
    }
    return literal.equals(v); // Boolean
  }

  /**
   * The value at the end of the path as a long, without boxing primitives: numbers as is,
   * booleans as 0/1, characters as their code, any other object as its hash code (then
   * {@code c.hashed} is set). Returns {@code absent} for "no value".
   */
  public long asLong(Object ref, long bits, boolean rootPrimitive, Throwable thrown, long absent, ThreadContext c)
      throws Throwable {
    if (isPrimitive(rootPrimitive)) {
      return bits(bits);
    }
    if (path.comparison() != null) {
      Object v = asObject(ref, bits, rootPrimitive, thrown);
      return v == ABSENT ? absent : ((Boolean) v ? 1 : 0);
    }
    return walkLong(root(ref, bits, rootPrimitive, thrown), absent, c);
  }

  /** As {@link #asLong(Object, long, boolean, Throwable, long, ThreadContext)}, from an explicit root; for tests and tools. */
  public long asLong(Object root, long absent, boolean[] hashed) throws Throwable {
    if (path.comparison() != null) {
      Object v = asObject(root);
      return v == ABSENT ? absent : ((Boolean) v ? 1 : 0);
    }
    ThreadContext scratch = new ThreadContext();
    long v = walkLong(root, absent, scratch);
    if (hashed != null) {
      hashed[0] = scratch.hashed;
    }
    return v;
  }

  private long walkLong(Object root, long absent, ThreadContext c) throws Throwable {
    c.hashed = false;
    Object v = root;
    int last = steps.length - 1;
    for (int i = 0; i < last; i++) {
      if (v == null || v == ABSENT || v == NOT_ENTITY) {
        return absent;
      }
      v = (Object) steps[i].get(v.getClass()).obj.invokeExact(v);
    }
    if (v == null || v == ABSENT || v == NOT_ENTITY) {
      return absent;
    }
    if (last >= 0) {
      Access a = steps[last].get(v.getClass());
      if (a.primitive != null) {
        return (long) a.primitive.invokeExact(v);
      }
      v = (Object) a.obj.invokeExact(v);
      if (v == null || v == ABSENT || v == NOT_ENTITY) {
        return absent;
      }
    }
    return toLong(v, c);
  }

  /** Converts a boxed or arbitrary value to the row's long field; sets {@code c.hashed} for a hash. */
  public static long toLong(Object v, ThreadContext c) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1 : 0;
    }
    if (v instanceof Character) {
      return (Character) v;
    }
    c.hashed = true;
    return v.hashCode();
  }

  @SuppressWarnings("unused") // used through a method handle
  private static long boolToLong(boolean b) {
    return b ? 1 : 0;
  }

  /** Resolved handles of one step for one class. */
  static final class Access {
    final MethodHandle obj;
    /** {@code (Object)long} when the member is primitive, else null. */
    final MethodHandle primitive;

    Access(MethodHandle obj, MethodHandle primitive) {
      this.obj = obj;
      this.primitive = primitive;
    }
  }

  /** Per-class resolution of one step. */
  static final class StepCache extends ClassValue<Access> {
    private final ExtractorPath.Step step;
    private final String where;
    private final Problems problems;
    private final List<EntitySpec> entities;

    StepCache(ExtractorPath.Step step, String where, Problems problems, List<EntitySpec> entities) {
      this.step = step;
      this.where = where;
      this.problems = problems;
      this.entities = entities;
    }

    @Override
    protected Access computeValue(Class<?> type) {
      try {
        MethodHandle h = resolve(type);
        if (h == null) {
          problems.report(where + ": " + type.getName() + " has no " + describe());
          return new Access(MethodHandles.dropArguments(MISSING, 0, Object.class), null);
        }
        Class<?> rt = h.type().returnType();
        MethodHandle primitive = null;
        if (rt == boolean.class) {
          primitive = MethodHandles.filterReturnValue(h, BOOL_TO_LONG).asType(LONG);
        } else if (rt.isPrimitive() && rt != void.class && rt != float.class && rt != double.class) {
          primitive = h.asType(LONG);
        }
        return new Access(h.asType(OBJ), primitive);
      } catch (ReflectiveOperationException | RuntimeException e) {
        problems.report(where + ": cannot read " + describe() + " of " + type.getName() + ": " + e);
        return new Access(MethodHandles.dropArguments(MISSING, 0, Object.class), null);
      }
    }

    private String describe() {
      if (EntityFields.isEntityStep(step.name())) {
        return switch (step.name()) {
          case "@id" -> "field annotated @Id or @EmbeddedId";
          case "@version" -> "field annotated @Version";
          case "@key" -> "key field (the entity's key:, else its @Id field)";
          default -> "value field (name it in the entity's value: in the probe file's entities)";
        };
      }
      return step.call() ? "method " + step + (step.args().isEmpty() ? "" : " (a public method of that name taking "
          + step.args().size() + " argument(s) of the constants' types)") : "field, record component or getter '" + step.name() + "'";
    }

    private MethodHandle resolve(Class<?> type) throws ReflectiveOperationException {
      if (EntityFields.isEntityStep(step.name())) {
        Object r = EntityFields.resolve(type, step.name(), entities);
        if (r == EntityFields.NOT_AN_ENTITY) {
          return MethodHandles.dropArguments(MethodHandles.constant(Object.class, NOT_ENTITY), 0, type);
        }
        if (r == null) {
          return null;
        }
        Field f = (Field) r;
        f.setAccessible(true);
        return MethodHandles.lookup().unreflectGetter(f);
      }
      if (type == java.util.Optional.class && step.args().isEmpty()
          && (step.name().equals("get") || step.name().equals("orElseThrow"))) {
        return OPTIONAL_OR_NULL; // empty: absent, as a null is, instead of NoSuchElementException
      }
      if (step.call()) {
        if (step.args().isEmpty()) {
          Method m = findMethod(type, step.name());
          return m == null ? null : unreflect(m);
        }
        return withArguments(type, step.name(), step.args());
      }
      Field f = findField(type, step.name());
      if (f != null) {
        f.setAccessible(true);
        return MethodHandles.lookup().unreflectGetter(f);
      }
      String cap = Character.toUpperCase(step.name().charAt(0)) + step.name().substring(1);
      for (String name : new String[] {step.name(), "get" + cap, "is" + cap}) {
        Method m = findMethod(type, name);
        if (m != null) {
          return unreflect(m);
        }
      }
      return null;
    }

    /**
     * A method {@code name} whose parameters take the constants ({@code getHeader("X-Request-Id")},
     * {@code get("id")} on a map), bound to them: the handle takes only the receiver.
     */
    private static MethodHandle withArguments(Class<?> type, String name, List<Object> args) throws IllegalAccessException {
      // 1. A public method of a public class or interface the type has (a servlet request's
      //    getHeader, a map's get): callable whatever module the implementation lives in.
      for (Class<?> c : publicSupertypes(type)) {
        for (Method m : c.getMethods()) {
          Object[] bound = Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? bind(m, name, args) : null;
          if (bound != null) {
            return MethodHandles.insertArguments(MethodHandles.publicLookup().unreflect(m), 1, bound);
          }
        }
      }
      // 2. Any method of the application's own classes (unnamed modules).
      for (Class<?> c = type; c != null && !c.getModule().isNamed(); c = c.getSuperclass()) {
        for (Method m : c.getDeclaredMethods()) {
          Object[] bound = bind(m, name, args);
          if (bound != null) {
            return MethodHandles.insertArguments(unreflect(m), 1, bound);
          }
        }
      }
      return null;
    }

    /** The type, its superclasses and all their interfaces that are public, most specific first. */
    private static List<Class<?>> publicSupertypes(Class<?> type) {
      List<Class<?>> out = new java.util.ArrayList<>();
      java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>();
      todo.add(type);
      while (!todo.isEmpty()) {
        Class<?> c = todo.poll();
        if (out.contains(c)) {
          continue;
        }
        if (Modifier.isPublic(c.getModifiers())) {
          out.add(c);
        }
        if (c.getSuperclass() != null) {
          todo.add(c.getSuperclass());
        }
        todo.addAll(List.of(c.getInterfaces()));
      }
      return out;
    }

    /** The constants converted to {@code m}'s parameter types, or null if {@code m} cannot take them. */
    private static Object[] bind(Method m, String name, List<Object> args) {
      if (!m.getName().equals(name) || m.getParameterCount() != args.size() || m.getReturnType() == void.class
          || Modifier.isStatic(m.getModifiers()) || m.isBridge()) {
        return null;
      }
      Class<?>[] types = m.getParameterTypes();
      Object[] out = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        out[i] = convert(args.get(i), types[i]);
        if (out[i] == null) {
          return null;
        }
      }
      return out;
    }

    private static Object convert(Object v, Class<?> t) {
      if (v instanceof String) {
        return t.isAssignableFrom(String.class) ? v : null; // String, CharSequence, Object
      }
      if (v instanceof Boolean) {
        return t == boolean.class || t.isAssignableFrom(Boolean.class) ? v : null;
      }
      long n = (Long) v;
      if (t == long.class || t == Long.class || t == Object.class || t == Number.class) {
        return n;
      }
      if ((t == int.class || t == Integer.class) && n == (int) n) {
        return (int) n;
      }
      if ((t == short.class || t == Short.class) && n == (short) n) {
        return (short) n;
      }
      return null;
    }

    private static MethodHandle unreflect(Method m) throws IllegalAccessException {
      m.setAccessible(true);
      return MethodHandles.lookup().unreflect(m);
    }

    /** A no-argument, non-void instance method, searched up the class hierarchy, then in interfaces. */
    private static Method findMethod(Class<?> type, String name) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Method m : c.getDeclaredMethods()) {
          if (m.getName().equals(name) && m.getParameterCount() == 0 && m.getReturnType() != void.class
              && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()) {
            return accessible(type, m);
          }
        }
      }
      try {
        return type.getMethod(name); // public interface default methods
      } catch (NoSuchMethodException e) {
        return null;
      }
    }

    /**
     * A method of a class outside the unnamed modules (a JDK class, say) may not be opened to us;
     * prefer its public declaration then, found through the public API.
     */
    private static Method accessible(Class<?> type, Method m) {
      if (m.getDeclaringClass().getModule().isNamed() && !Modifier.isPublic(m.getModifiers())) {
        return null;
      }
      if (m.getDeclaringClass().getModule().isNamed()) {
        try {
          return type.getMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
          return null;
        }
      }
      return m;
    }

    private static Field findField(Class<?> type, String name) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (c.getModule().isNamed()) {
          return null; // JDK internals: use their public getters instead
        }
        for (Field f : c.getDeclaredFields()) {
          if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
            return f;
          }
        }
      }
      return null;
    }
  }
}
