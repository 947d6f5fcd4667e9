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
}
