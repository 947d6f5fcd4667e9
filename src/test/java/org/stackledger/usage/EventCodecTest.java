package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored form reads back as written, and equal content gives equal bytes. */
class EventCodecTest {
  private static final String[] TEXT = {"a", "/subscriptions/x/resourceGroups/ümlaut/providers/A.B/c/日本", "", "local",
      "{\"k\":\"v\"}", "{\"emoji\":\"\\ud83d\\ude00\"}", "🙂 raw surrogate pair"};

  @Test
  void eventsReadBackExactlyInOrder() {
    Random random = new Random(42);
    List<UsageEvent> events = new ArrayList<>();
    EventCodec.Buffer buffer = new EventCodec.Buffer(16);
    for (int i = 0; i < 2_000; i++) {
      BigDecimal quantity = new BigDecimal(new java.math.BigInteger(random.nextInt(120), random), random.nextInt(25) - 2)
          .abs();
      Instant start = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
      UsageEvent e = new UsageEvent("id-" + i + TEXT[random.nextInt(TEXT.length)], "sub-" + random.nextInt(9),
          "meter-" + random.nextInt(5), quantity, start, start.plusMillis(1 + random.nextInt(3_600_000)),
          TEXT[random.nextInt(TEXT.length)], TEXT[random.nextInt(TEXT.length)],
          random.nextBoolean() ? null : TEXT[random.nextInt(TEXT.length)],
          random.nextBoolean() ? null : TEXT[random.nextInt(TEXT.length)]);
      events.add(e);
      EventCodec.write(buffer, e);
    }
    EventCodec.Reader reader = new EventCodec.Reader(buffer.toArray());
    for (UsageEvent e : events) {
      assertThat(reader.hasNext()).isTrue();
      UsageEvent back = reader.next();
      assertThat(back.quantity()).isEqualByComparingTo(e.quantity());
      assertThat(back).usingRecursiveComparison().ignoringFields("quantity").isEqualTo(e);
    }
    assertThat(reader.hasNext()).isFalse();
  }

  @Test
  void theSameUsageWrittenWithOtherTrailingZerosIsTheSameBytes() {
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    EventCodec.Buffer a = new EventCodec.Buffer(16);
    EventCodec.Buffer b = new EventCodec.Buffer(16);
    EventCodec.write(a, new UsageEvent("e", "s", "m", new BigDecimal("1.50"), t, t.plusSeconds(60), "/r", "l", null, null));
    EventCodec.write(b, new UsageEvent("e", "s", "m", new BigDecimal("1.5"), t, t.plusSeconds(60), "/r", "l", null, null));
    assertThat(a.toArray()).isEqualTo(b.toArray());
    EventCodec.Buffer c = new EventCodec.Buffer(16);
    EventCodec.write(c, new UsageEvent("e", "s", "m", new BigDecimal("1.51"), t, t.plusSeconds(60), "/r", "l", null, null));
    assertThat(c.toArray()).isNotEqualTo(a.toArray());
  }

  @Test
  void aCompactBatchReadsBackTheEventsItKeeps() {
    Random random = new Random(7);
    List<UsageEvent> events = new ArrayList<>();
    boolean[] keep = new boolean[3_000];
    for (int i = 0; i < keep.length; i++) {
      Instant start = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000), random.nextInt(3) * 500_000_000);
      String sub = "sub-" + random.nextInt(7) + TEXT[random.nextInt(TEXT.length)];
      events.add(new UsageEvent("e" + i, sub, "meter-" + random.nextInt(4),
          new BigDecimal(random.nextInt(1_000_000)).movePointLeft(random.nextInt(8)), start, start.plusSeconds(60),
          random.nextBoolean() ? "/subscriptions/" + sub + "/vm" + random.nextInt(9) : TEXT[random.nextInt(TEXT.length)],
          TEXT[random.nextInt(TEXT.length)], random.nextInt(3) == 0 ? null : TEXT[random.nextInt(TEXT.length)],
          random.nextInt(3) == 0 ? null : "{\"n\":" + random.nextInt(3) + "}"));
      keep[i] = random.nextInt(5) > 0;
    }
    for (boolean[] mask : new boolean[][] {null, keep}) {
      EventCodec.Reader reader = new EventCodec.Reader(EventCodec.compact(events, mask));
      for (int i = 0; i < events.size(); i++) {
        if (mask != null && !mask[i]) {
          continue;
        }
        UsageEvent back = reader.next();
        assertThat(back.quantity()).isEqualByComparingTo(events.get(i).quantity());
        assertThat(back).usingRecursiveComparison().ignoringFields("quantity").isEqualTo(events.get(i));
      }
      assertThat(reader.hasNext()).isFalse();
    }
  }

  @Test
  void aCompactBatchKeepsGuidsPathsAndWindowsExactlyAsSent() {
    Random random = new Random(11);
    List<UsageEvent> events = new ArrayList<>();
    String[] ids = {"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
        "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e0-4f89-11d3-9a0c-0305e82c33011", "3f2504e0+4f89-11d3-9a0c-0305e82c3301",
        "3f2504e0-4f89-11d3-9a0c-0305e82c330g", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"};
    String[] paths = {"", "/", "//", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/",
        "relative/path/", "/subscriptions/S/resourceGroups/ümlaut//", "/a/b/c/d/e/f/g/h/i/j/k/l/", "/subscriptions/",
        "/subscriptions/s/", "/subscriptions/sx/resourceGroups/rg/", "/subscriptions//s/", "/Subscriptions/s/rg/"};
    for (int i = 0; i < 2_000; i++) {
      String id = random.nextBoolean() ? new java.util.UUID(random.nextLong(), random.nextLong()).toString()
          : ids[random.nextInt(ids.length)] + (random.nextInt(4) == 0 ? "" : "#" + i);
      Instant start = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(3) * 3_600L - random.nextInt(100),
          random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0);
      events.add(new UsageEvent(id, "s", "m", BigDecimal.valueOf(random.nextInt(1000), 2), start,
          start.plusSeconds(random.nextInt(3_600)).plusNanos(random.nextInt(2)), paths[random.nextInt(paths.length)]
          + (random.nextBoolean() ? "vm" + random.nextInt(5) : ""), "local", null, null));
    }
    assertCompactReadsBack(events);
  }

  @Test
  void aCompactBatchOfManyStringsSharedAcrossFieldsAndCollidingReadsBack() {
    // "Aa" and "BB" (and their concatenations) have one String.hashCode: the table must compare
    // characters; a path's part equal to a location or tags is one string; hundreds of strings grow it.
    String[] colliding = {"Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"};
    Random random = new Random(23);
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      String sub = "sub-" + random.nextInt(40);
      String part = random.nextBoolean() ? colliding[random.nextInt(colliding.length)] : "rg" + random.nextInt(300);
      String location = random.nextInt(3) == 0 ? "/" + part + "/" : colliding[random.nextInt(colliding.length)];
      Instant start = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000));
      events.add(new UsageEvent("e" + i, sub, colliding[random.nextInt(colliding.length)],
          BigDecimal.valueOf(random.nextInt(1000), 1), start, start.plusSeconds(3_600),
          (random.nextInt(4) == 0 ? "/other/" : "/subscriptions/" + sub) + "/" + part + "/vm" + random.nextInt(9),
          location, random.nextBoolean() ? null : "/" + part + "/", random.nextInt(5) == 0 ? "ü" + part : null));
    }
    assertCompactReadsBack(events);
    // The next batch on the same thread starts its numbering again.
    assertCompactReadsBack(events.subList(100, 200));
  }

  /** The batch in the compact form reads back event for event, and nothing more. */
  private static void assertCompactReadsBack(List<UsageEvent> events) {
    EventCodec.Reader reader = new EventCodec.Reader(EventCodec.compact(events, null));
    for (UsageEvent e : events) {
      UsageEvent back = reader.next();
      assertThat(back.quantity()).isEqualByComparingTo(e.quantity());
      assertThat(back).usingRecursiveComparison().ignoringFields("quantity").isEqualTo(e);
    }
    assertThat(reader.hasNext()).isFalse();
  }

  @Test
  void aStringIsItsUtf8LengthAndBytesAndItsControlCharactersAreNotedWhateverItsLength() {
    // Short strings are copied a character at a time, long ones through the JDK's encoder: the same bytes
    // (the stored events and their fingerprints depend on them) and the same control flag either way.
    char[] alphabet = {'a', 'Z', '0', '/', '-', ' ', '~', '\u0001', '\u001f', '\u007f', '\u0080', '\u009f', '\u00a0', 'ü',
        '\u0141', '日', '\ud83d', '\ude00'};
    Random random = new Random(31);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(40);
      boolean ascii = random.nextBoolean();
      for (int i = 0; i < length; i++) {
        b.append(ascii && random.nextInt(50) > 0 ? (char) ('a' + random.nextInt(26)) : alphabet[random.nextInt(alphabet.length)]);
      }
      String text = b.toString();
      byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      EventCodec.Buffer expected = new EventCodec.Buffer(16);
      expected.varint(utf8.length);
      expected.put(utf8);
      EventCodec.Buffer written = new EventCodec.Buffer(16);
      written.string(text);
      assertThat(written.toArray()).as("%s", text).isEqualTo(expected.toArray());
      assertThat(written.control).as("%s", text).isEqualTo(EventRules.hasControlCharacter(text));
      EventCodec.Buffer nullable = new EventCodec.Buffer(16);
      nullable.nullableString(text);
      EventCodec.Buffer nullableExpected = new EventCodec.Buffer(16);
      nullableExpected.varint(utf8.length + 1L);
      nullableExpected.put(utf8);
      assertThat(nullable.toArray()).as("%s", text).isEqualTo(nullableExpected.toArray());
    }
  }

  @Test
  void batchesStoredInTheFirstCompactFormStillReadBack() {
    // Two events as the first compact form wrote them (whole paths, ids as text, instants whole).
    byte[] stored = java.util.HexFormat.of().parseHex("432433663235303465302d346638392d313164332d396130632d303330"
        + "356538326333333031002461316232633364342d303030302d343030302d383030302d303030303030303030303031000"
        + "76d657465722d3102010fc08cc0b00d00e0c4c0b00d0000722f737562736372697074696f6e732f61316232633364342d3"
        + "03030302d343030302d383030302d3030303030303030303030312f7265736f7572636547726f7570732f72672f70726f76"
        + "69646572732f4d6963726f736f66742e436f6d707574652f7669727475616c4d616368696e65732f03766d3100056c6f63"
        + "616c0001077b226e223a317d076576656e742d320102040119b88dc0b00d00b08ec0b00d000303766d320401077b2274223a327d06");
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    String sub = "a1b2c3d4-0000-4000-8000-000000000001";
    String path = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/";
    EventCodec.Reader reader = new EventCodec.Reader(stored);
    UsageEvent first = reader.next();
    UsageEvent second = reader.next();
    assertThat(reader.hasNext()).isFalse();
    assertThat(first).usingRecursiveComparison().isEqualTo(new UsageEvent("3f2504e0-4f89-11d3-9a0c-0305e82c3301", sub,
        "meter-1", new BigDecimal("1.5"), t, t.plusSeconds(3600), path + "vm1", "local", null, "{\"n\":1}"));
    assertThat(second).usingRecursiveComparison().isEqualTo(new UsageEvent("event-2", sub, "meter-1",
        new BigDecimal("0.25"), t.plusSeconds(60), t.plusSeconds(120), path + "vm2", "local", "{\"t\":2}", "{\"n\":1}"));
  }

  @Test
  void theBenchmarksEventsTakeUnderFortyFiveBytesEachInACompactBatch() {
    List<String> subs = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 100; i++) {
      subs.add(new java.util.UUID(random.nextLong(), random.nextLong()).toString());
    }
    List<UsageEvent> batch = org.stackledger.bench.IntakeBenchmark.batches(1, 1, 1000, subs,
        List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"), Instant.parse("2026-11-26T10:00:00Z")).get(0);
    assertThat(EventCodec.compact(batch, null).length).isLessThan(45 * 1000);
  }

  /**
   * Quantities of up to 18 digits are written from a long; their bytes must be the BigDecimal path's to
   * the bit (the content fingerprint is a hash of them, and stored keys outlive releases): signs,
   * scales below zero and above, trailing zeros, zero in every scale, and the edges of a long.
   */
  @Test
  void aQuantityFromALongIsWrittenAsTheBigDecimalPathWritesIt() {
    Random random = new Random(7);
    List<BigDecimal> quantities = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.000"),
        new BigDecimal("0E+5"), new BigDecimal("1.50"), new BigDecimal("1000"), new BigDecimal("1E+3"),
        new BigDecimal("-128"), new BigDecimal("127"), new BigDecimal("128"), new BigDecimal("-1"),
        new BigDecimal("999999999999999999"), new BigDecimal("-999999999999999999"),
        new BigDecimal("0.000000000000000001"), new BigDecimal("123456789012345678E-30"),
        new BigDecimal("9999999999999999999"), new BigDecimal(Long.MAX_VALUE), new BigDecimal(Long.MIN_VALUE)));
    for (int i = 0; i < 20_000; i++) {
      java.math.BigInteger unscaled = new java.math.BigInteger(1 + random.nextInt(70), random);
      BigDecimal q = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(50) - 20);
      // Trailing zeros in a third of them: the canonical form strips them.
      quantities.add(random.nextInt(3) == 0 ? q.setScale(q.scale() + random.nextInt(6)) : q);
    }
    for (BigDecimal q : quantities) {
      EventCodec.Buffer fast = new EventCodec.Buffer(8);
      EventCodec.Buffer exact = new EventCodec.Buffer(8);
      fast.quantity(q);
      exact.quantityExactly(q);
      assertThat(fast.toArray()).as("%s", q).isEqualTo(exact.toArray());
    }
  }
}
