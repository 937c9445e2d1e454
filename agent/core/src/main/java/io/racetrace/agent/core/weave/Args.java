package io.racetrace.agent.core.weave;

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
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Advice parameter bindings that hand the probed method's arguments and return value to the agent
 * without boxing: a reference goes into an {@code Object} parameter ({@link Ref}), a primitive is
 * widened into a {@code long} parameter ({@link Bits}), and {@link Mask} is a per-method constant
 * saying which is which. Boxing a {@code long} version on every call would allocate; this way a
 * traced call allocates nothing.
 */
final class Args {
  /** Bit of {@link Mask} set when the return value is primitive. */
  static final int RETURN_BIT = 6;

  private Args() {}

  /** Argument {@code value()} if it is a reference, else null; {@code -1} is the return value. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Ref {
    int value();
  }

  /** Argument {@code value()} widened to long if it is primitive, else 0; {@code -1} is the return value. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Bits {
    int value();
  }

  /** Bits 0-5: argument N is primitive; bit 6: the return value is primitive. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Mask {}

  static List<Advice.OffsetMapping.Factory<?>> factories() {
    return List.of(new RefFactory(), new BitsFactory(), new MaskFactory());
  }

  static int mask(MethodDescription m) {
    int mask = 0;
    List<ParameterDescription.InDefinedShape> ps = m.asDefined().getParameters();
    for (int i = 0; i < Math.min(6, ps.size()); i++) {
      if (ps.get(i).getType().isPrimitive()) {
        mask |= 1 << i;
      }
    }
    TypeDescription.Generic rt = m.getReturnType();
    if (rt.isPrimitive() && !rt.represents(void.class)) {
      mask |= 1 << RETURN_BIT;
    }
    return mask;
  }

  /** The slot and type of argument {@code index}, or of the return value for -1; null if absent. */
  private static TypeDefinition type(MethodDescription m, int index) {
    if (index < 0) {
      TypeDescription.Generic rt = m.getReturnType();
      return rt.represents(void.class) ? null : rt;
    }
    return index < m.getParameters().size() ? m.getParameters().get(index).getType() : null;
  }

  private static StackManipulation load(MethodDescription m, int index, Advice.ArgumentHandler args) {
    TypeDefinition t = type(m, index);
    int offset = index < 0 ? args.returned() : args.argument(m.getParameters().get(index).getOffset());
    return MethodVariableAccess.of(t).loadFrom(offset);
  }

  private static final class RefFactory implements Advice.OffsetMapping.Factory<Ref> {
    @Override
    public Class<Ref> getAnnotationType() {
      return Ref.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Ref> a, AdviceType adviceType) {
      int index = a.load().value();
      return (instrumentedType, m, assigner, args, sort) -> {
        TypeDefinition t = type(m, index);
        return new Advice.OffsetMapping.Target.ForStackManipulation(
            t == null || t.isPrimitive() ? NullConstant.INSTANCE : load(m, index, args));
      };
    }
  }

  private static final class BitsFactory implements Advice.OffsetMapping.Factory<Bits> {
    @Override
    public Class<Bits> getAnnotationType() {
      return Bits.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Bits> a, AdviceType adviceType) {
      int index = a.load().value();
      return (instrumentedType, m, assigner, args, sort) -> {
        TypeDefinition t = type(m, index);
        if (t == null || !t.isPrimitive()) {
          return new Advice.OffsetMapping.Target.ForStackManipulation(LongConstant.ZERO);
        }
        return new Advice.OffsetMapping.Target.ForStackManipulation(
            new StackManipulation.Compound(load(m, index, args), ToLong.of(t)));
      };
    }
  }

  private static final class MaskFactory implements Advice.OffsetMapping.Factory<Mask> {
    @Override
    public Class<Mask> getAnnotationType() {
      return Mask.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<Mask> a, AdviceType adviceType) {
      return (instrumentedType, m, assigner, args, sort) ->
          new Advice.OffsetMapping.Target.ForStackManipulation(IntegerConstant.forValue(mask(m)));
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
