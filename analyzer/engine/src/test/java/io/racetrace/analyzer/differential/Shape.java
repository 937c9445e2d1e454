package io.racetrace.analyzer.differential;

/**
 * The shape of a simulated service and of the probe file a user would write for it: what its
 * store keeps, how its write reports the outcome, and what the probes extract. At the row level a
 * shape is only which fields are present; {@link #probeFile()} is the probe file those rows come
 * from, shown with a failing history.
 *
 * <p>Built by {@link #of}, which turns any combination of choices into a sensible service: a read
 * probe extracts a version or a value (or both), as the probe file requires; a store
 * with no version anywhere in the probes has no version column (its state is its value, and its
 * conditional write compares the value); a write whose version the probes capture either computes
 * it (read version + 1, an argument) or returns the saved record; a version the probes take from
 * reads only is the store's own counter (it moves on with every write, also in a broken store); a
 * conditional write that returns nothing signals a conflict by throwing. A transactional store
 * commits a write after its row has left (the method returned inside the transaction): until the
 * commit, reads see the state before it and other writes of the key wait for its lock. A write
 * probe may name the units the write takes ({@code amount:}): next to its value, or alone on a
 * relative write ({@code UPDATE ... SET qty = qty - ?}) that carries no value.
 */
public record Shape(
    Versions versions,
    boolean readValue,
    Write write,
    Outcome outcome,
    VersionSource source,
    Access access,
    boolean brokenCas,
    boolean transactional,
    boolean ids,
    boolean idempotent,
    int maxAttempts,
    boolean clientRetries,
    int threads,
    int workers,
    int keys,
    int maxAmount,
    Amount amount,
    Boundaries boundaries) {

  /**
   * Transaction probes (a transactional store only). NONE: none, writes count when their row
   * leaves. IN_REQUEST: commit and rollback probes, the commit inside the request (a service that
   * opens its own transaction). AFTER_ANSWER: the commit after the request probe's method returned
   * (a {@code @Transactional} proxy around it).
   */
  public enum Boundaries { NONE, IN_REQUEST, AFTER_ANSWER }

  /** Which probes extract a version: the read's {@code version:}, the write's {@code expectedVersion:}/{@code writtenVersion:}. */
  public enum Versions {
    NONE, READ, WRITE, BOTH;

    boolean onRead() {
      return this == READ || this == BOTH;
    }

    boolean onWrite() {
      return this == WRITE || this == BOTH;
    }
  }

  /** Blind: read, compute, write whatever is there. Conditional: the store refuses a write over a changed state. */
  public enum Write { BLIND, CONDITIONAL }

  /** What the write returns: nothing, a boolean, rows updated, the saved record; or it throws on conflict. */
  public enum Outcome { VOID, BOOLEAN, ROW_COUNT, ENTITY, EXCEPTION }

  /** Who sets a blind write's new version: the store (version + 1 in the UPDATE) or the service (read version + 1). */
  public enum VersionSource { STORE, SERVICE }

  /** How the probe paths reach a value: a record component, a getter, a field (identical rows). */
  public enum Access { RECORD, GETTER, FIELD }

  /**
   * The write probe's {@code amount:}. NONE: it has none. ALONGSIDE: the units taken, next to the
   * value the write stores. RELATIVE: the store's write is {@code UPDATE stock SET qty = qty - ?}
   * (the version, if any, is the store's counter): it returns no record, its row carries the amount
   * and no value, and it takes from whatever stock is current; restocks are the same update with
   * minus the units restocked ({@code adjust(sku, -n)}).
   */
  public enum Amount { NONE, ALONGSIDE, RELATIVE }


  public static Shape of(Versions versions, boolean readValue, Write write, Outcome outcome, VersionSource source,
      Access access, boolean brokenCas, boolean transactional, boolean ids, boolean idempotent, int maxAttempts,
      boolean clientRetries, int threads, int workers, int keys, int maxAmount, Amount amount) {
    if (amount == Amount.RELATIVE) {
      // A relative update is blind, cannot fail on a version, and returns no record: nothing of the
      // version it makes reaches the write's row (the store's counter, seen by reads only).
      write = Write.BLIND;
      if (outcome == Outcome.ENTITY || outcome == Outcome.EXCEPTION) {
        outcome = Outcome.ROW_COUNT;
      }
      if (versions.onWrite()) {
        versions = versions == Versions.BOTH ? Versions.READ : Versions.NONE;
      }
    }
    if (!readValue && !versions.onRead()) {
      readValue = true; // a read probe extracts a version or a value (the probe file requires one)
    }
    if (write == Write.CONDITIONAL && outcome == Outcome.VOID) {
      outcome = Outcome.EXCEPTION; // a void conditional write can only say "conflict" by throwing
    }
    if (write == Write.CONDITIONAL || !versions.onWrite()) {
      // A conditional write's new version is always the expected one + 1; a version the probes take
      // from reads only is the store's own (the service never handles it).
      source = VersionSource.STORE;
    } else if (outcome != Outcome.ENTITY) {
      // The probes take a blind write's version, and the write returns no record: it is an argument.
      source = VersionSource.SERVICE;
    }
    if (write == Write.BLIND) {
      brokenCas = false;
    }
    if (!ids) {
      idempotent = false; // deduplication needs an id
    }
    return new Shape(versions, readValue, write, outcome, source, access, brokenCas, transactional, ids, idempotent,
        maxAttempts, clientRetries, threads, workers, keys, maxAmount, amount, Boundaries.NONE);
  }

  /** This shape with transaction probes {@code b} (none unless the store is transactional). */
  public Shape with(Boundaries b) {
    return new Shape(versions, readValue, write, outcome, source, access, brokenCas, transactional, ids, idempotent,
        maxAttempts, clientRetries, threads, workers, keys, maxAmount, amount, transactional ? b : Boundaries.NONE);
  }

  boolean boundariesProbed() {
    return boundaries != Boundaries.NONE;
  }

  /** This shape with another {@code amount:} (its other choices made to fit it). */
  public Shape with(Amount a) {
    return of(versions, readValue, write, outcome, source, access, brokenCas, transactional, ids, idempotent, maxAttempts,
        clientRetries, threads, workers, keys, maxAmount, a).with(boundaries);
  }

  boolean relative() {
    return amount == Amount.RELATIVE;
  }

  /** The write row carries the units the request takes. */
  boolean writeCarriesAmount() {
    return amount != Amount.NONE;
  }

  /** The store keeps a version column (else its state is the value alone). */
  boolean versionedStore() {
    return versions != Versions.NONE;
  }

  boolean readCarriesVersion() {
    return versions.onRead();
  }

  /** The write row carries the expected version (a conditional write on a version, probed). */
  boolean writeCarriesExpected() {
    return write == Write.CONDITIONAL && versions.onWrite();
  }

  /** The write row carries the version it stored. */
  boolean writeCarriesWritten() {
    return versions.onWrite();
  }

  /** The write reports a conflict by throwing (mapped to conflict by the probe's {@code thrown:}). */
  boolean conflictThrows() {
    return outcome == Outcome.EXCEPTION || outcome == Outcome.ENTITY;
  }

  private String path(String root, String member) {
    return switch (access) {
      case RECORD -> root + "." + member + "()";
      case GETTER -> root + ".get" + Character.toUpperCase(member.charAt(0)) + member.substring(1);
      case FIELD -> root + "." + member;
    };
  }

  /** The probe file a user would write for this service (as the rows reflect it). */
  public String probeFile() {
    StringBuilder p = new StringBuilder("version: 1\nprobes:\n");
    p.append("  - {name: order, role: request, class: Shop, method: order, key: arg0.sku()");
    if (ids) {
      p.append(", requestId: arg0.id()");
    }
    p.append(", result: {map: {OK: success, SOLD_OUT: rejected, BUSY: conflict}}}\n");
    p.append("  - {name: load, role: read, class: Store, method: load, key: arg0");
    if (readCarriesVersion()) {
      p.append(", version: ").append(path("return", "version"));
    }
    if (readValue) {
      p.append(", value: ").append(path("return", "stock"));
    }
    p.append("}\n");
    boolean entity = outcome == Outcome.ENTITY;
    String method = relative() ? "take" : write == Write.BLIND ? "put" : "putIf";
    p.append("  - {name: save, role: write, class: Store, method: ").append(method).append(", key: arg0");
    if (relative()) {
      p.append(", amount: arg1"); // UPDATE stock SET qty = qty - ? WHERE sku = ?
    } else {
      p.append(", value: ").append(entity ? path("return", "stock") : "arg1");
    }
    if (amount == Amount.ALONGSIDE) {
      // The units, the write's last argument.
      p.append(", amount: arg").append(2 + (writeCarriesExpected() ? 1 : 0) + (writeCarriesWritten() && !entity ? 1 : 0));
    }
    if (writeCarriesExpected()) {
      p.append(", expectedVersion: arg2");
    }
    if (writeCarriesWritten()) {
      p.append(", writtenVersion: ").append(entity ? path("return", "version") : write == Write.BLIND ? "arg2" : "arg3");
    }
    switch (outcome) {
      case BOOLEAN, ROW_COUNT, ENTITY -> p.append(", success: return");
      default -> { }
    }
    if (conflictThrows() || write == Write.BLIND && outcome == Outcome.EXCEPTION) {
      p.append(", result: {thrown: {StaleStateException: conflict}}");
    }
    p.append("}\n");
    if (boundariesProbed()) {
      p.append("  - {name: commit, role: commit, class: org.h2.jdbc.JdbcConnection, method: commit}\n");
      p.append("  - {name: rollback, role: rollback, class: org.h2.jdbc.JdbcConnection, method: rollback}\n");
    }
    if (relative()) {
      p.append("  - {name: restock, role: write, class: Store, method: adjust, key: arg0, amount: arg1}\n");
      return p.toString(); // the service passes minus the units restocked
    }
    p.append("  - {name: restock, role: write, class: Store, method: restock, key: arg0, value: return");
    if (writeCarriesWritten()) {
      p.append(", writtenVersion: ").append(path("return", "version"));
    }
    p.append("}\n");
    return p.toString();
  }

  @Override
  public String toString() {
    return "Shape[versions=" + versions + ", readValue=" + readValue + ", write=" + write + ", outcome=" + outcome
        + ", source=" + source + ", access=" + access + ", brokenCas=" + brokenCas + ", transactional=" + transactional + ", ids=" + ids + ", idempotent="
        + idempotent + ", maxAttempts=" + maxAttempts + ", clientRetries=" + clientRetries + ", threads=" + threads
        + ", workers=" + workers + ", keys=" + keys + ", maxAmount=" + maxAmount + ", amount=" + amount + ", boundaries=" + boundaries + "]";
  }
}
