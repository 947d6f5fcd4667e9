package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a period's aggregates: what is written is read back, in either layout. */
class AggregateCodecTest {
  private static final String VM_A = Aggregator.instanceKey("{\"resourceUri\":\"/vm/a\"}");
  private static final String VM_B = Aggregator.instanceKey("{\"resourceUri\":\"/vm/b\"}");
  private static final String COMPUTE = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String STORAGE = "3023FEF4-ECA5-4D7B-87B3-CFBC061931E8";

  @Test
  void entriesComeBackAsWrittenWithMetersAndInstancesRepeatedAcrossTheRow() {
    List<AggregateCodec.Entry> sorted = sorted(
        new AggregateCodec.Entry(COMPUTE, VM_A, new BigDecimal("1.5")),
        new AggregateCodec.Entry(COMPUTE, VM_B, new BigDecimal("0.0001")),
        new AggregateCodec.Entry(STORAGE, VM_A, new BigDecimal("123456789012345678901234567890.123456789")),
        new AggregateCodec.Entry(STORAGE, VM_B, new BigDecimal("-2")),
        new AggregateCodec.Entry(STORAGE, "not-a-hex-key", BigDecimal.ZERO));

    assertThat(AggregateCodec.read(AggregateCodec.write(sorted))).containsExactlyElementsOf(sorted);
  }

  @Test
  void aRowTakesAboutTwentyBytesAnEntryWhereStringsTookSeventyFive() {
    List<AggregateCodec.Entry> entries = new ArrayList<>();
    for (int vm = 0; vm < 100; vm++) {
      String key = Aggregator.instanceKey("{\"resourceUri\":\"/vm/" + vm + "\"}");
      entries.add(new AggregateCodec.Entry(COMPUTE, key, new BigDecimal("1")));
      entries.add(new AggregateCodec.Entry(STORAGE, key, new BigDecimal("0.25")));
    }
    List<AggregateCodec.Entry> sorted = sorted(entries.toArray(AggregateCodec.Entry[]::new));

    byte[] written = AggregateCodec.write(sorted);

    assertThat(AggregateCodec.read(written)).containsExactlyElementsOf(sorted);
    assertThat(written.length).isLessThan(sorted.size() * 20).isLessThan(firstLayout(sorted).length / 3);
  }

  @Test
  void rowsOfTheFirstLayoutAreStillRead() {
    List<AggregateCodec.Entry> sorted = sorted(new AggregateCodec.Entry(COMPUTE, VM_A, new BigDecimal("3.25")),
        new AggregateCodec.Entry(STORAGE, VM_B, new BigDecimal("7")));

    assertThat(AggregateCodec.read(firstLayout(sorted))).containsExactlyElementsOf(sorted);
    assertThat(AggregateCodec.read(new byte[0])).isEmpty();
  }

  /** The layout rows were written in before the compact one: meter, instance key, quantity, strings throughout. */
  private static byte[] firstLayout(List<AggregateCodec.Entry> sorted) {
    EventCodec.Buffer out = new EventCodec.Buffer(64);
    for (AggregateCodec.Entry e : sorted) {
      out.string(e.meterId());
      out.string(e.instanceKey());
      out.quantity(e.quantity());
    }
    return out.toArray();
  }

  private static List<AggregateCodec.Entry> sorted(AggregateCodec.Entry... entries) {
    List<AggregateCodec.Entry> out = new ArrayList<>(List.of(entries));
    out.sort(null);
    return out;
  }
}
