package org.stackledger.directory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How credentials are kept. Client secrets are long random strings, so a SHA-256 digest suffices;
 * user passwords are chosen by people, so they get a slow, salted PBKDF2-HMAC-SHA256 hash whose
 * parameters are stored with it. Comparisons are constant-time.
 */
final class Secrets {
  /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023): the work factor of every new password hash. */
  static final int DEFAULT_ITERATIONS = 210_000;
  /** Below this a hash is no longer slow enough to be called one; the setting refuses it. */
  static final int MINIMUM_ITERATIONS = 1_000;
  /**
   * Lowers the work factor of new hashes for a test suite, which hashes hundreds of throw-away
   * passwords (as Django's test settings swap in a fast hasher). Stored hashes carry their own count,
   * so a store written under either setting checks the same passwords the same way.
   */
  static final String ITERATIONS_PROPERTY = "stackledger.passwordHashIterations";
  static final int PBKDF2_ITERATIONS = iterations(System.getProperty(ITERATIONS_PROPERTY));
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new client secret: 40 URL-safe characters, 240 bits of randomness. */
  static String newClientSecret() {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String digest(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean sameDigest(String secret, String storedDigest) {
    return MessageDigest.isEqual(digest(secret).getBytes(StandardCharsets.US_ASCII),
        storedDigest.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code pbkdf2-sha256$iterations$salt$hash}, salt and hash in base64. */
  static String hashPassword(String password) {
    return hashPassword(password, PBKDF2_ITERATIONS);
  }

  static String hashPassword(String password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = pbkdf2(password, salt, iterations);
    return "pbkdf2-sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(hash);
  }

  /**
   * A stored-hash string in the same format and with the same parameters as {@link #hashPassword},
   * whose hash is random bytes rather than the hash of anything: checking a password against it costs
   * what a real check costs and never matches.
   */
  static String unmatchableHash() {
    byte[] salt = new byte[16];
    byte[] hash = new byte[32];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return "pbkdf2-sha256$" + PBKDF2_ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(hash);
  }

  /** The work factor a setting asks for; no setting means the default, and a weak or unreadable one is refused. */
  static int iterations(String setting) {
    if (setting == null || setting.isBlank()) {
      return DEFAULT_ITERATIONS;
    }
    int n;
    try {
      n = Integer.parseInt(setting.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(ITERATIONS_PROPERTY + " is not a whole number: " + setting);
    }
    if (n < MINIMUM_ITERATIONS) {
      throw new IllegalStateException(ITERATIONS_PROPERTY + " must be at least " + MINIMUM_ITERATIONS + ", not " + n);
    }
    return n;
  }

  static boolean checkPassword(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = pbkdf2(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
