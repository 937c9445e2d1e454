package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Reproduction settings: act at the woven read point to make a race happen on demand.
 *
 * <ul>
 *   <li>{@code rendezvous}: after a thread's read of {@code key}, hold it until {@code parties}
 *       threads have read that key (or {@code timeout} passes), then release them together, so
 *       all of them read the same version before any writes.
 *   <li>{@code delayAfterRead}: sleep this long after each read of {@code key} (all keys when
 *       {@code key} is absent), widening the read-modify-write window.
 * </ul>
 */
public final class Reproduce {
  private final String key;
  private final boolean rendezvous;
  private final int parties;
  private final Duration timeout;
  private final Duration delayAfterRead;

  @JsonCreator
  public Reproduce(
      @JsonProperty("key") String key,
      @JsonProperty("rendezvous") Boolean rendezvous,
      @JsonProperty("parties") Integer parties,
      @JsonProperty("timeout") String timeout,
      @JsonProperty("delayAfterRead") String delayAfterRead) {
    this.key = key;
    this.rendezvous = rendezvous != null && rendezvous;
    this.parties = parties == null ? 2 : parties;
    if (this.parties < 2 || this.parties > 64) {
      throw new IllegalArgumentException("parties must be between 2 and 64");
    }
    this.timeout = timeout == null ? Duration.ofSeconds(2) : Durations.parse(timeout, "timeout");
    this.delayAfterRead = delayAfterRead == null ? Duration.ZERO : Durations.parse(delayAfterRead, "delayAfterRead");
    if (this.rendezvous && key == null) {
      throw new IllegalArgumentException("a rendezvous needs the key it synchronises on");
    }
  }

  public String key() { return key; }
  public boolean rendezvous() { return rendezvous; }
  public int parties() { return parties; }
  public Duration timeout() { return timeout; }
  public Duration delayAfterRead() { return delayAfterRead; }
}
