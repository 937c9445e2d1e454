package io.racetrace.agent.core.extract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A parsed extractor path: a root value of the probed call, member steps applied to it, and
 * optionally a comparison with a constant at the end. Examples: {@code arg0}, {@code arg1.sku},
 * {@code arg0.getSku()}, {@code return.version()}, {@code this.id}, {@code thrown},
 * {@code arg0.getHeader("X-Request-Id")}, {@code arg0.get("id")}, {@code return.status == "available"}.
 * Immutable; parsing is the only place a path string is looked at.
 *
 * <p>Grammar: {@code root ( "." (name [ "(" [literal ("," literal)*] ")" ] | entity) )* [ ("==" | "!=") literal ]},
 * where an entity step is {@code @key}, {@code @value}, {@code @version} or {@code @id} ({@link EntityFields}),
 * and a literal is a double-quoted string ({@code \"} and {@code \\} escaped), an integer, or
 * {@code true}/{@code false}; or the whole path is an integer constant.
 */
public final class ExtractorPath {
  /** Highest argument index a Java method can have (255 parameter slots); advice binds any of them. */
  public static final int MAX_ARG = 254;
  /** Most constant arguments a step may pass. */
  public static final int MAX_CALL_ARGS = 4;

  /** Where a path starts. */
  public enum Root { ARG, THIS, RETURN, THROWN, CONSTANT }

  private final String text;
  private final Root root;
  private final int argIndex;
  private final List<Step> steps;
  private final long constant;
  private final Comparison comparison;

  /**
   * One member access: a field, record component or getter ({@code name}), or a call of a method
   * ({@code name()}, {@code name("x", 2)}) with constant arguments (strings, longs, booleans).
   */
  public record Step(String name, boolean call, List<Object> args) {
    public Step(String name, boolean call) {
      this(name, call, List.of());
    }

    @Override
    public String toString() {
      if (!call) {
        return name;
      }
      StringBuilder sb = new StringBuilder(name).append('(');
      for (int i = 0; i < args.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(literal(args.get(i)));
      }
      return sb.append(')').toString();
    }
  }

  /** The value at the end of the path compared with a constant: the path then yields a boolean. */
  public record Comparison(boolean equal, Object literal) {
    @Override
    public String toString() {
      return (equal ? "== " : "!= ") + ExtractorPath.literal(literal);
    }
  }

  private ExtractorPath(String text, Root root, int argIndex, List<Step> steps, long constant, Comparison comparison) {
    this.text = text;
    this.root = root;
    this.argIndex = argIndex;
    this.steps = steps;
    this.constant = constant;
    this.comparison = comparison;
  }

  /**
   * The Jackson creator: a string path, or a bare number (a constant), so a bad path in a probe
   * file is reported at its own line and field.
   */
  @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
  static ExtractorPath fromYaml(Object raw) {
    if (!(raw instanceof String || raw instanceof Number)) {
      throw new IllegalArgumentException("an extractor path must be a string such as arg0.sku or a number");
    }
    return parse(raw.toString());
  }

  /** Parses a path; throws {@link IllegalArgumentException} with a user-facing message. */
  public static ExtractorPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty extractor path");
    }
    String t = text.trim();
    if (t.matches("-?[0-9]+")) {
      // A number is a constant: e.g. the version a seeding method resets a key to.
      try {
        return new ExtractorPath(t, Root.CONSTANT, -1, List.of(), Long.parseLong(t), null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad extractor path '" + t + "': the number does not fit in a long");
      }
    }
    return new Parser(t).path();
  }

  public Root root() {
    return root;
  }

  public int argIndex() {
    return argIndex;
  }

  /** The value of a {@link Root#CONSTANT} path. */
  public long constant() {
    return constant;
  }

  public List<Step> steps() {
    return steps;
  }

  /** The comparison at the end of the path, or null. */
  public Comparison comparison() {
    return comparison;
  }

  @Override
  public String toString() {
    return text;
  }

  static String literal(Object v) {
    if (v instanceof String) {
      return '"' + ((String) v).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    return String.valueOf(v);
  }

  /** A hand-written scanner: string literals may hold dots, parentheses and spaces. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    ExtractorPath path() {
      String first = identifier("it must start with argN, this, return or thrown, or be a number");
      Root root;
      int arg = -1;
      if (first.matches("arg[0-9]+")) {
        root = Root.ARG;
        try {
          arg = Integer.parseInt(first.substring(3));
        } catch (NumberFormatException e) {
          arg = Integer.MAX_VALUE;
        }
        if (arg > MAX_ARG) {
          throw bad("a Java method has at most " + (MAX_ARG + 1) + " arguments (arg0 to arg" + MAX_ARG + ")");
        }
      } else if (first.equals("this") || first.equals("return") || first.equals("thrown")) {
        root = Root.valueOf(first.toUpperCase(Locale.ROOT));
      } else {
        throw bad("it must start with argN, this, return or thrown, or be a number");
      }
      List<Step> steps = new ArrayList<>();
      while (i < s.length() && s.charAt(i) == '.') {
        i++;
        int at = i;
        if (i < s.length() && s.charAt(i) == '@') {
          // An entity step: a field found by its annotation, or named by the file's entities.
          i++;
          String n = identifier(null);
          if (n == null || !EntityFields.STEPS.contains("@" + n)) {
            throw bad("'" + rest(at) + "' is not an entity step (" + String.join(", ", EntityFields.STEPS) + ")");
          }
          steps.add(new Step("@" + n, false));
          continue;
        }
        String name = identifier(null);
        if (name == null) {
          throw bad("'" + rest(at) + "' is not a field, getter or method call");
        }
        if (i < s.length() && s.charAt(i) == '(') {
          i++;
          steps.add(new Step(name, true, Collections.unmodifiableList(arguments(name))));
        } else {
          steps.add(new Step(name, false));
        }
      }
      skipSpaces();
      Comparison comparison = null;
      if (s.startsWith("==", i) || s.startsWith("!=", i)) {
        boolean equal = s.charAt(i) == '=';
        i += 2;
        skipSpaces();
        comparison = new Comparison(equal, literal());
        skipSpaces();
      }
      if (i < s.length()) {
        throw bad("unexpected '" + rest(i) + "'");
      }
      return new ExtractorPath(s, root, arg, Collections.unmodifiableList(steps), 0, comparison);
    }

    private List<Object> arguments(String method) {
      List<Object> args = new ArrayList<>();
      skipSpaces();
      if (i < s.length() && s.charAt(i) == ')') {
        i++;
        return args;
      }
      while (true) {
        skipSpaces();
        args.add(literal());
        skipSpaces();
        if (i >= s.length()) {
          throw bad("the arguments of " + method + "( are not closed");
        }
        char c = s.charAt(i++);
        if (c == ')') {
          break;
        }
        if (c != ',') {
          throw bad("arguments of " + method + "() must be string, number or true/false constants, separated by commas");
        }
      }
      if (args.size() > MAX_CALL_ARGS) {
        throw bad(method + "() may take at most " + MAX_CALL_ARGS + " constant arguments");
      }
      return args;
    }

    private Object literal() {
      if (i < s.length() && s.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          char c = s.charAt(i++);
          if (c == '\\' && i < s.length()) {
            c = s.charAt(i++);
          }
          sb.append(c);
        }
        if (i >= s.length()) {
          throw bad("a string constant is not closed");
        }
        i++;
        return sb.toString();
      }
      int at = i;
      if (i < s.length() && s.charAt(i) == '-') {
        i++;
      }
      while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
        i++;
      }
      String word = s.substring(at, i);
      if (word.equals("true") || word.equals("false")) {
        return Boolean.valueOf(word);
      }
      try {
        return Long.parseLong(word);
      } catch (NumberFormatException e) {
        throw bad("'" + (word.isEmpty() ? rest(at) : word) + "' is not a constant (a \"string\", a number, true or false)");
      }
    }

    /** A Java identifier at the cursor, or null ({@code problem} non-null: throw instead). */
    private String identifier(String problem) {
      int at = i;
      if (i < s.length() && Character.isJavaIdentifierStart(s.charAt(i))) {
        i++;
        while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
          i++;
        }
        return s.substring(at, i);
      }
      if (problem != null) {
        throw bad(problem);
      }
      return null;
    }

    private void skipSpaces() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
    }

    private String rest(int from) {
      return s.substring(Math.min(from, s.length()));
    }

    private IllegalArgumentException bad(String why) {
      return new IllegalArgumentException("bad extractor path '" + s + "': " + why);
    }
  }
}
