package io.racetrace.agent.core.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Replaces keys and request ids by a salted SHA-256 prefix before they are written, for captures
 * taken from production. Equal ids hash equally (in every worker that uses the same salt), so the
 * analysis is unchanged; the capture no longer holds the ids themselves.
 *
 * <p>Concurrency: writer thread only (the digest is reused).
 */
final class IdHasher {
  private final byte[] salt;
  private final MessageDigest sha;

  IdHasher(String salt) {
    this.salt = salt.getBytes(StandardCharsets.UTF_8);
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String hash(String id) {
    if (id == null) {
      return null;
    }
    sha.reset();
    sha.update(salt);
    sha.update(id.getBytes(StandardCharsets.UTF_8));
    return "h:" + HexFormat.of().formatHex(sha.digest(), 0, 10);
  }
}
