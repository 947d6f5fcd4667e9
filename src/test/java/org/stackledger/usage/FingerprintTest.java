package org.stackledger.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fingerprints are stored (each batch's keys) and compared with those of later retries, so the hash
 * must never change: these values were taken from the first implementation (byte-wise reads), and
 * "hello" with seed 0 is MurmurHash3 x64 128's published value. Lengths around the 16-byte block and
 * an offset start cover the tail and the block paths.
 */
class FingerprintTest {
  @ParameterizedTest
  @CsvSource({
      "'', 0, 0, 0000000000000000, 0000000000000000",
      "'', 1592614637, 0, 15818698d454ecb6, 48bf88f43e91ba2e",
      "a, 0, 0, 85555565f6597889, e6b53a48510e895a",
      "a, 1592614637, 0, 3033c8dadd8d5a3b, 8688a026786aab54",
      "hello, 0, 0, cbd8a7b341bd9b02, 5b1e906a48ae1d19",
      "hello, 1592614637, 0, 72e5e3ff5541fcb6, eccabf2e04c493dd",
      "hello, 7, 1, 2c551b7272a5c478, 1c8e43ac5fe7547e",
      "0123456789abcdef, 0, 0, 4be06d94cf4ad1a7, 87c35b5c63a708da",
      "0123456789abcdef, 7, 1, 501fd23058b3205d, ee7f393aaf1f7f67",
      "0123456789abcdef0, 1592614637, 0, 677ddf2a524b3bb4, debf93000d88bd96",
      "0123456789abcdef0, 7, 1, aefb7c70ab77f673, a9798823bc3f7d85",
      "'the quick brown fox jumps over the lazy dog, 44 bytes', 0, 0, 253b16fd4b4a3f60, d471389c5f1df335",
      "'the quick brown fox jumps over the lazy dog, 44 bytes', 7, 1, 1cf577161457f606, 88985e2dfaffa7b9",
  })
  void theHashNeverChanges(String text, long seed, int trim, String first, String second) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long[] out = new long[2];
    // trim 1: the bytes between the first and the last, as the intake hashes an id inside an event.
    Fingerprint.hash128(bytes, trim, bytes.length - trim, seed, out);
    assertEquals(first, String.format("%016x", out[0]));
    assertEquals(second, String.format("%016x", out[1]));
  }
}
