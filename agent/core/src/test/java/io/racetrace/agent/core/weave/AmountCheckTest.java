package io.racetrace.agent.core.weave;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.extract.ExtractorPath;
import java.math.BigDecimal;
import java.util.Optional;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** What the declarations of a woven method settle about a write probe's amount. */
class AmountCheckTest {
  enum Status { OK, FULL }

  record Order(String sku, int units, Status status, Integer boxed) {}

  static final class Account {
    long pending;
    String label;

    long getBalance() {
      return 0;
    }
  }

  @SuppressWarnings("unused") // described, not called
  static final class Shop {
    Account account;

    void debit(String account, long amount) {}

    void take(Order order) {}

    void label(String account, String amount) {}

    void loose(Object amount) {}

    void decimal(BigDecimal amount) {}

    void flag(boolean amount) {}

    void letter(char amount) {}

    void maybe(Optional<Integer> amount) {}

    void many(long[] amounts) {}

    Status status() {
      return Status.OK;
    }

    static void staticDebit(int amount) {}
  }

  static MethodDescription method(String name) {
    return TypeDescription.ForLoadedType.of(Shop.class).getDeclaredMethods().filter(
        net.bytebuddy.matcher.ElementMatchers.named(name)).getOnly();
  }

  static String problem(String path, String method) {
    return AmountCheck.problem(ExtractorPath.parse(path), method(method));
  }

  @Test
  void numbers_andWhatMayHoldOne_pass() {
    assertNull(problem("arg1", "debit"), "a primitive long");
    assertNull(problem("arg0.units()", "take"), "a record component of type int");
    assertNull(problem("arg0.units", "take"), "the same, as a field");
    assertNull(problem("arg0.boxed", "take"), "an Integer");
    assertNull(problem("arg0", "decimal"), "a BigDecimal is a Number");
    assertNull(problem("arg0", "loose"), "an Object may hold a number");
    assertNull(problem("arg0.get()", "maybe"), "an Optional's get is generic: decided at run time");
    assertNull(problem("this.account.pending", "debit"), "a field of a field");
    assertNull(problem("this.account.balance", "debit"), "a getter");
    assertNull(problem("arg0.nothing", "take"), "a member the declarations lack: decided at run time");
    assertNull(problem("7", "label"), "a constant");
    assertNull(problem("arg5", "debit"), "an argument the method does not have: absent, as for any field");
    assertNull(problem("return", "debit"), "the return of a void method: absent");
    assertNull(problem("this", "staticDebit"), "this of a static method: absent");
  }

  @Test
  void declaredNonNumbers_areNamedWithThePathAndTheMethod() {
    String shop = Shop.class.getName();
    assertEquals("arg1 of " + shop + "#label(String, String) is a java.lang.String, not a number",
        problem("arg1", "label"));
    assertEquals("arg0.sku() of " + shop + "#take(Order) is a java.lang.String, not a number",
        problem("arg0.sku()", "take"));
    assertEquals("arg0.status of " + shop + "#take(Order) is the enum " + Status.class.getName() + ", not a number",
        problem("arg0.status", "take"));
    assertEquals("arg0 of " + shop + "#take(Order) is the record " + Order.class.getName() + ", not a number",
        problem("arg0", "take"));
    assertEquals("arg0 of " + shop + "#flag(boolean) is a boolean, not a number", problem("arg0", "flag"));
    assertEquals("arg0 of " + shop + "#letter(char) is a char, not a number", problem("arg0", "letter"));
    assertEquals("arg0 of " + shop + "#many(long[]) is a long[], not a number", problem("arg0", "many"));
    assertEquals("return of " + shop + "#status() is the enum " + Status.class.getName() + ", not a number",
        problem("return", "status"));
    assertEquals("this.account.label of " + shop + "#debit(String, long) is a java.lang.String, not a number",
        problem("this.account.label", "debit"));
  }
}
