package io.racetrace.agent.core.extract;

import io.racetrace.agent.core.probe.EntitySpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Resolves the entity steps of a path on a runtime class: {@code @id} (the field annotated
 * {@code @Id} or {@code @EmbeddedId}), {@code @version} ({@code @Version}), {@code @key} (the
 * field the entity's {@code key:} names, else its id) and {@code @value} (the field its
 * {@code value:} names). Annotations are matched by simple name, so JPA's {@code jakarta} and
 * {@code javax} packages and Spring Data's own all count, without the agent loading any of them.
 *
 * <p>{@code @key} and {@code @value} need the class to be one of the probe file's entities (or a
 * subclass): on any other class {@code @key} gives {@link Extractor#NOT_ENTITY}, and the probed
 * call is not recorded (a Hibernate flush of an entity the file does not name). With no
 * {@code entities:} at all, {@code @key} is the id of any class that has one.
 */
final class EntityFields {
  private EntityFields() {}

  /** Whether a path step names an entity field ({@code @key}, {@code @value}, {@code @version}, {@code @id}). */
  static boolean isEntityStep(String name) {
    return name.startsWith("@");
  }

  /** The step names the parser accepts. */
  static final List<String> STEPS = List.of("@key", "@value", "@version", "@id");

  /** What a step reads on {@code type}: a field, or null when it has none; {@link #NOT_AN_ENTITY} for {@code @key} on a class the file does not name. */
  static Object resolve(Class<?> type, String step, List<EntitySpec> entities) {
    switch (step) {
      case "@id":
        return annotated(type, "Id", "EmbeddedId");
      case "@version":
        return annotated(type, "Version");
      case "@key": {
        EntitySpec e = entityOf(type, entities);
        if (e == null && !entities.isEmpty()) {
          return NOT_AN_ENTITY;
        }
        return e != null && e.key() != null ? field(type, e.key()) : annotated(type, "Id", "EmbeddedId");
      }
      case "@value": {
        EntitySpec e = entityOf(type, entities);
        return e == null || e.value() == null ? null : field(type, e.value());
      }
      default:
        throw new IllegalArgumentException("unknown entity step " + step);
    }
  }

  /** Marker of {@link #resolve}: the class is not one of the file's entities. */
  static final Object NOT_AN_ENTITY = new Object();

  /** The entity the class is, or extends (a Hibernate subclass proxy, an entity hierarchy), or null. */
  static EntitySpec entityOf(Class<?> type, List<EntitySpec> entities) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (EntitySpec e : entities) {
        if (e.className().equals(c.getName())) {
          return e;
        }
      }
    }
    return null;
  }

  private static Field annotated(Class<?> type, String... simpleNames) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        for (Annotation a : f.getDeclaredAnnotations()) {
          String n = a.annotationType().getSimpleName();
          for (String want : simpleNames) {
            if (n.equals(want)) {
              return f;
            }
          }
        }
      }
    }
    return null;
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
          return f;
        }
      }
    }
    return null;
  }
}
