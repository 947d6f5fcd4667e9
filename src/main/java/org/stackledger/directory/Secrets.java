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
  static final int PBKDF2_ITERATIONS = 210_000;
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
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = pbkdf2(password, salt, PBKDF2_ITERATIONS);
    return "pbkdf2-sha256$" + PBKDF2_ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
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
