package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.racetrace.agent.core.extract.ExtractorPath;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe of a probe file: which method to weave ({@code class}, {@code method}, optionally
 * {@code params} to pick an overload) and, depending on its {@link Role}, which extractor paths
 * give the request id, key, versions, value, amount and outcome. Validated on construction, so a
 * probe that exists is a probe the agent can apply.
 */
public final class ProbeSpec {
  private String name;
  private final Role role;
  private final String className;
  private final String method;
  private final List<String> params;
  private final ExtractorPath requestId;
  private final ExtractorPath key;
  private final ExtractorPath version;
  private final ExtractorPath value;
  private final ExtractorPath expectedVersion;
  private final ExtractorPath writtenVersion;
  private final ExtractorPath success;
  private final ExtractorPath amount;
  private final ResultMapping result;
  private final boolean subtypes;
  private final String annotation;
  private final String problem;
  /** The probe file's entities, for the entity steps ({@code @key}, {@code @value}); set by the file. */
  private List<EntitySpec> entities = List.of();
  /** The pack this probe came from ({@code hibernate@1}), or null for the file's own. */
  private String pack;

  @JsonCreator
  public ProbeSpec(
      @JsonProperty("name") String name,
      @JsonProperty(value = "role", required = true) Role role,
      @JsonProperty(value = "class", required = true) String className,
      @JsonProperty(value = "method", required = true) String method,
      @JsonProperty("params") List<String> params,
      @JsonProperty("requestId") ExtractorPath requestId,
      @JsonProperty("key") ExtractorPath key,
      @JsonProperty("version") ExtractorPath version,
      @JsonProperty("value") ExtractorPath value,
      @JsonProperty("expectedVersion") ExtractorPath expectedVersion,
      @JsonProperty("writtenVersion") ExtractorPath writtenVersion,
      @JsonProperty("success") ExtractorPath success,
      @JsonProperty("amount") AmountPath amount,
      @JsonProperty("result") ResultMapping result,
      @JsonProperty("subtypes") Boolean subtypes,
      @JsonProperty("annotation") String annotation) {
    this.role = role;
    this.className = requireName(className, "class");
    this.annotation = annotation == null ? null : requireName(annotation, "annotation");
    if ("*".equals(method) && annotation == null) {
      throw new IllegalArgumentException("method '*' needs annotation: (every method of the class with that annotation)");
    }
    this.method = "*".equals(method) ? method : requireName(method, "method");
    this.name = name != null ? name : role.label() + ":" + simpleName(className) + "." + method;
    this.params = params == null ? null : List.copyOf(params);
    this.requestId = requestId;
    this.key = key;
    this.version = version;
    this.value = value;
    this.expectedVersion = expectedVersion;
    this.writtenVersion = writtenVersion;
    this.success = success;
    this.amount = amount == null ? null : amount.path();
    this.result = result;
    this.subtypes = subtypes != null && subtypes;
    this.problem = problem();
  }

  private static String requireName(String s, String field) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    if (!s.matches("[\\p{L}_$][\\p{L}\\p{N}_$.]*")) {
      throw new IllegalArgumentException(field + " '" + s + "' is not a Java name");
    }
    return s;
  }

  private static String simpleName(String cls) {
    return cls.substring(cls.lastIndexOf('.') + 1);
  }

  /**
   * What is wrong with this combination of fields, or null. Not thrown from the constructor:
   * Jackson reports unknown fields only after it built the object, and a misspelt field is the
   * likelier mistake, so the parser throws this after deserialization, at the probe's line.
   */
  String invalid() {
    return problem;
  }

  private String problem() {
    try {
      validate();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private void validate() {
    List<String> notFor = new ArrayList<>();
    switch (role) {
      case ARRIVAL:
        if (requestId == null) {
          throw new IllegalArgumentException("an arrival probe needs requestId");
        }
        collect(notFor, version, "version", value, "value", expectedVersion, "expectedVersion",
            writtenVersion, "writtenVersion", success, "success", amount, "amount");
        if (result != null) notFor.add("result");
        break;
      case REQUEST:
        collect(notFor, version, "version", value, "value", expectedVersion, "expectedVersion",
            writtenVersion, "writtenVersion", success, "success", amount, "amount");
        break;
      case READ:
        if (version == null && value == null) {
          throw new IllegalArgumentException("a read probe needs version or value (or both)");
        }
        collect(notFor, expectedVersion, "expectedVersion", writtenVersion, "writtenVersion", success, "success",
            amount, "amount (the units a write takes)");
        if (result != null) notFor.add("result");
        break;
      case WRITE:
        if (writtenVersion == null && value == null && expectedVersion == null && amount == null) {
          throw new IllegalArgumentException("a write probe needs writtenVersion, expectedVersion, value or amount");
        }
        collect(notFor, version, "version (use expectedVersion or writtenVersion)");
        // A write's outcome comes from success; result.thrown maps the exceptions it throws (an
        // optimistic-lock exception is a conflict, not a storage fault).
        if (result != null && result.mapsValues()) notFor.add("result.from, result.map and result.otherwise (use success; result.thrown maps exceptions)");
        break;
      case ATTEMPT:
        collect(notFor, requestId, "requestId", key, "key", version, "version", value, "value",
            expectedVersion, "expectedVersion", writtenVersion, "writtenVersion", success, "success", amount, "amount");
        if (result != null) notFor.add("result");
        break;
      case COMMIT:
      case ROLLBACK:
        // The row is the thread's transaction boundary: its request's id and key come from the
        // enclosing request, its outcome from whether the call threw (result.thrown maps how).
        collect(notFor, requestId, "requestId", key, "key", version, "version", value, "value",
            expectedVersion, "expectedVersion", writtenVersion, "writtenVersion", success, "success", amount, "amount");
        if (result != null && result.mapsValues()) notFor.add("result.from, result.map and result.otherwise (result.thrown maps exceptions)");
        break;
      default:
        throw new AssertionError(role);
    }
    if (!notFor.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", notFor) + " not allowed for a " + role.label() + " probe");
    }
  }

  private static void collect(List<String> out, Object... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i] != null) {
        out.add((String) pairs[i + 1]);
      }
    }
  }

  public String name() { return name; }
  public Role role() { return role; }
  public String className() { return className; }
  public String method() { return method; }
  /** Parameter type names that select an overload, or null for every method of that name. */
  public List<String> params() { return params; }
  public ExtractorPath requestId() { return requestId; }
  public ExtractorPath key() { return key; }
  public ExtractorPath version() { return version; }
  public ExtractorPath value() { return value; }
  public ExtractorPath expectedVersion() { return expectedVersion; }
  public ExtractorPath writtenVersion() { return writtenVersion; }
  public ExtractorPath success() { return success; }
  /**
   * A write's {@code amount:}: the units it takes from its key's stock (positive takes, negative
   * adds), for writes whose row carries no value (a relative {@code UPDATE ... SET qty = qty - ?},
   * a {@code void debit(account, amount)}); null if the probe has none.
   */
  public ExtractorPath amount() { return amount; }
  public ResultMapping result() { return result == null ? ResultMapping.DEFAULT : result; }
  /**
   * {@code subtypes: true}: {@code class} may be an interface or a superclass, and the probe is
   * woven into the classes that implement or extend it (a repository interface, a base service),
   * except generated subclasses ({@code $$} in their name: CGLIB and ByteBuddy proxies call the
   * method they override, which is woven itself). JDK dynamic proxies implementing an interface it
   * names are woven too (Spring Data's derived queries exist only there); a call their handler
   * forwards to a woven implementation of the same probe is captured once, as the proxy's.
   */
  public boolean subtypes() { return subtypes; }

  /** The probe file's entities, which the entity steps of its paths read. */
  public List<EntitySpec> entities() { return entities; }

  /** The pack ({@code name@version}) that brought this probe, or null for a probe of the file itself. */
  public String pack() { return pack; }

  void entities(List<EntitySpec> e) {
    this.entities = List.copyOf(e);
  }

  /** This probe as a pack's: named {@code NAME:probe}. Only on a freshly parsed pack probe. */
  ProbeSpec renamed(String newName, String fromPack) {
    this.name = newName;
    this.pack = fromPack;
    return this;
  }

  /** Whether a path of this probe reads an entity step ({@code @key}, {@code @value}, ...). */
  boolean usesEntitySteps() {
    for (ExtractorPath p : new ExtractorPath[] {requestId, key, version, value, expectedVersion, writtenVersion, success, amount}) {
      if (p != null && p.steps().stream().anyMatch(st -> st.name().startsWith("@"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code annotation:}: only methods annotated with it (the method's own annotations, by the
   * annotation's class name), e.g. {@code org.springframework.web.bind.annotation.PostMapping};
   * with {@code method: '*'}, every such method of the class. Null if the probe has none.
   */
  public String annotation() { return annotation; }

  /** {@code class#method(params)} as users wrote it. */
  public String target() {
    return (subtypes ? "subtypes of " : "") + className + "#" + method + (params == null ? "" : "(" + String.join(",", params) + ")")
        + (annotation == null ? "" : " @" + annotation);
  }
}
