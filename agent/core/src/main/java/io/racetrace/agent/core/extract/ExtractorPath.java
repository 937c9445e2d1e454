package io.racetrace.agent.core.extract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed extractor path such as {@code arg0}, {@code arg1.sku}, {@code arg0.getSku()},
 * {@code return.version()}, {@code this.id} or {@code thrown}: a root value of the probed call and
 * member steps applied to it. Immutable; parsing is the only place a path string is looked at.
 */
public final class ExtractorPath {
  /** Highest argument index a Java method can have (255 parameter slots); advice binds any of them. */
  public static final int MAX_ARG = 254;

  /** Where a path starts. */
  public enum Root { ARG, THIS, RETURN, THROWN, CONSTANT }

  private static final Pattern ROOT = Pattern.compile("arg([0-9]+)|this|return|thrown");
  private static final Pattern STEP = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\(\\))?");

  private final String text;
  private final Root root;
  private final int argIndex;
  private final List<Step> steps;
  private final long constant;

  /** One member access: a field, record component or getter ({@code name}), or a call ({@code name()}). */
  public record Step(String name, boolean call) {
    @Override
    public String toString() {
      return call ? name + "()" : name;
    }
  }

  private ExtractorPath(String text, Root root, int argIndex, List<Step> steps, long constant) {
    this.text = text;
    this.root = root;
    this.argIndex = argIndex;
    this.steps = steps;
    this.constant = constant;
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
      return new ExtractorPath(t, Root.CONSTANT, -1, List.of(), Long.parseLong(t));
    }
    String[] parts = t.split("\\.", -1);
    Matcher m = ROOT.matcher(parts[0]);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad extractor path '" + t + "': it must start with argN, this, return or thrown, or be a number");
    }
    Root root;
    int arg = -1;
    if (m.group(1) != null) {
      root = Root.ARG;
      arg = Integer.parseInt(m.group(1));
      if (arg > MAX_ARG) {
        throw new IllegalArgumentException("bad extractor path '" + t + "': a Java method has at most " + (MAX_ARG + 1) + " arguments (arg0 to arg" + MAX_ARG + ")");
      }
    } else {
      root = Root.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      if (!STEP.matcher(parts[i]).matches()) {
        throw new IllegalArgumentException("bad extractor path '" + t + "': '" + parts[i] + "' is not a field, getter or no-argument method name");
      }
      boolean call = parts[i].endsWith("()");
      steps.add(new Step(call ? parts[i].substring(0, parts[i].length() - 2) : parts[i], call));
    }
    return new ExtractorPath(t, root, arg, Collections.unmodifiableList(steps), 0);
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

  @Override
  public String toString() {
    return text;
  }
}
