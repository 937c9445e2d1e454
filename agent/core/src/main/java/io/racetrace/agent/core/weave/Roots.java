package io.racetrace.agent.core.weave;

import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.agent.core.probe.ProbeSpec;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weave-time bindings of a probe's fields to the values of the probed call. Each field of a probe
 * (request id, key, versions, value, success, result, amount) is an extractor path that starts at one
 * root: an argument, {@code this} or the return value. When a probe is woven into a method, the
 * advice parameter for a field ({@link Ref}, {@link Bits}) is bound to a load of exactly that root,
 * so the agent receives only what the probe reads, and a field the probe does not have costs a
 * constant. A reference root goes into an {@code Object} parameter; a primitive one is widened
 * into a {@code long} parameter, so a {@code long} version is never boxed. {@link Mask} is a
 * per-method constant saying which fields' roots are primitive.
 *
 * <p>Roots the advice cannot load are passed as null and 0 and read as absent by the agent: an
 * argument the method does not have, {@code this} of a static method, the return value of a
 * {@code void} method or at a method's entry. {@code thrown} and constants need no binding. So is
 * an amount's root in a method where it cannot lead to a number ({@link AmountCheck}), which the
 * installer reports.
 */
final class Roots {
  static final int ID = 0;
  static final int KEY = 1;
  static final int VERSION = 2;
  static final int VALUE = 3;
  static final int EXPECTED = 4;
  static final int WRITTEN = 5;
  static final int SUCCESS = 6;
  static final int RESULT = 7;
  static final int AMOUNT = 8;

  private Roots() {}

  /** The root of field {@code value()}, if it is a reference; else null. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Ref {
    int value();
  }

  /** The root of field {@code value()} widened to a long, if it is a primitive; else 0. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Bits {
    int value();
  }

  /** Bit N set: the root of field {@code value()[N]} is a primitive. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Mask {
    int[] value();
  }

  /** The bindings for one probe's advice. */
  static List<Advice.OffsetMapping.Factory<?>> factories(ProbeSpec spec) {
    ExtractorPath[] paths = paths(spec);
    return List.of(new RefFactory(paths), new BitsFactory(paths), new MaskFactory(paths));
  }

  static ExtractorPath[] paths(ProbeSpec s) {
    ExtractorPath[] p = new ExtractorPath[AMOUNT + 1];
    p[ID] = s.requestId();
    p[KEY] = s.key();
    p[VERSION] = s.version();
    p[VALUE] = s.value();
    p[EXPECTED] = s.expectedVersion();
    p[WRITTEN] = s.writtenVersion();
    p[SUCCESS] = s.success();
    p[RESULT] = s.result().from();
    p[AMOUNT] = s.amount();
    return p;
  }

  /** The type of the root of field {@code field}'s path in method {@code m}, or null where it is not loaded. */
  private static TypeDefinition rootType(ExtractorPath[] paths, int field, MethodDescription m, Advice.OffsetMapping.Sort sort) {
    ExtractorPath path = paths[field];
    if (field == AMOUNT && path != null && AmountCheck.problem(path, m) != null) {
      return null; // cannot be a number of units in this method: the row carries no amount
    }
    return rootType(path, m, sort);
  }

  /** The type of the root of {@code path} in method {@code m}, or null where it cannot be loaded. */
  static TypeDefinition rootType(ExtractorPath path, MethodDescription m, Advice.OffsetMapping.Sort sort) {
    if (path == null) {
      return null;
    }
    switch (path.root()) {
      case ARG:
        return path.argIndex() < m.getParameters().size() ? m.getParameters().get(path.argIndex()).getType() : null;
      case THIS:
        return m.isStatic() ? null : m.getDeclaringType();
      case RETURN:
        return sort == Advice.OffsetMapping.Sort.EXIT && !m.getReturnType().represents(void.class) ? m.getReturnType() : null;
      default:
        return null; // thrown and constants are not loaded
    }
  }

  /** Whether the root of field {@code field}'s path in {@code m} is a primitive value. */
  static boolean primitive(ExtractorPath[] paths, int field, MethodDescription m, Advice.OffsetMapping.Sort sort) {
    TypeDefinition t = rootType(paths, field, m, sort);
    return t != null && t.isPrimitive();
  }

  private static StackManipulation load(ExtractorPath path, TypeDefinition t, MethodDescription m, Advice.ArgumentHandler args) {
    switch (path.root()) {
      case THIS: return MethodVariableAccess.loadThis();
      case RETURN: return MethodVariableAccess.of(t).loadFrom(args.returned());
      default: return MethodVariableAccess.of(t).loadFrom(args.argument(m.getParameters().get(path.argIndex()).getOffset()));
    }
  }

  private static final class RefFactory implements Advice.OffsetMapping.Factory<Ref> {
    private final ExtractorPath[] paths;

    RefFactory(ExtractorPath[] paths) {
      this.paths = paths;
    }

    @Override
    public Class<Ref> getAnnotationType() {
      return Ref.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Ref> a, AdviceType adviceType) {
      int field = a.load().value();
      ExtractorPath path = paths[field];
      return (instrumentedType, m, assigner, args, sort) -> {
        TypeDefinition t = rootType(paths, field, m, sort);
        return new Advice.OffsetMapping.Target.ForStackManipulation(
            t == null || t.isPrimitive() ? NullConstant.INSTANCE : load(path, t, m, args));
      };
    }
  }

  private static final class BitsFactory implements Advice.OffsetMapping.Factory<Bits> {
    private final ExtractorPath[] paths;

    BitsFactory(ExtractorPath[] paths) {
      this.paths = paths;
    }

    @Override
    public Class<Bits> getAnnotationType() {
      return Bits.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Bits> a, AdviceType adviceType) {
      int field = a.load().value();
      ExtractorPath path = paths[field];
      return (instrumentedType, m, assigner, args, sort) -> {
        TypeDefinition t = rootType(paths, field, m, sort);
        if (t == null || !t.isPrimitive()) {
          return new Advice.OffsetMapping.Target.ForStackManipulation(LongConstant.ZERO);
        }
        return new Advice.OffsetMapping.Target.ForStackManipulation(
            new StackManipulation.Compound(load(path, t, m, args), ToLong.of(t)));
      };
    }
  }

  private static final class MaskFactory implements Advice.OffsetMapping.Factory<Mask> {
    private final ExtractorPath[] paths;

    MaskFactory(ExtractorPath[] paths) {
      this.paths = paths;
    }

    @Override
    public Class<Mask> getAnnotationType() {
      return Mask.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Mask> a, AdviceType adviceType) {
      int[] fields = a.load().value();
      return (instrumentedType, m, assigner, args, sort) -> {
        int mask = 0;
        for (int i = 0; i < fields.length; i++) {
          if (primitive(paths, fields[i], m, sort)) {
            mask |= 1 << i;
          }
        }
        return new Advice.OffsetMapping.Target.ForStackManipulation(IntegerConstant.forValue(mask));
      };
    }
  }

  /** Widens a primitive on the operand stack to a long. */
  private static final class ToLong extends StackManipulation.AbstractBase {
    private final int opcode;
    private final int growth;

    private ToLong(int opcode, int growth) {
      this.opcode = opcode;
      this.growth = growth;
    }

    static StackManipulation of(TypeDefinition t) {
      if (t.represents(long.class)) {
        return StackManipulation.Trivial.INSTANCE;
      }
      if (t.represents(float.class)) {
        return new ToLong(Opcodes.F2L, 1);
      }
      if (t.represents(double.class)) {
        return new ToLong(Opcodes.D2L, 0);
      }
      return new ToLong(Opcodes.I2L, 1); // int, short, byte, char, boolean
    }

    @Override
    public Size apply(MethodVisitor mv, Implementation.Context ctx) {
      mv.visitInsn(opcode);
      return new Size(growth, growth);
    }
  }
}
