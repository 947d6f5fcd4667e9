package org.stackledger.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.stackledger.commerce.UsageRecord;
import org.stackledger.http.Json;

/**
 * A month of one deployment's usage records, as its bridge would upload them, from a seed: the hours in
 * order, each with the same share of the total, each record one (local subscription, meter, resource)
 * place of that hour. An hour takes its places by stepping through all of them with a stride coprime
 * to their number from a seeded start, so no place is taken twice and a small total still reaches every
 * subscription. A {@code round} word goes into the resource names: another round gives other records.
 */
final class CommerceLoad {
  /** A local subscription on the deployment and the directory tenant its owner signs in with. */
  record Subscription(String subscriptionId, String tenantId) {}

  static final String LOCATION = "local";
  private final String cloudId;
  private final List<Subscription> subscriptions;
  private final List<String> meters;
  private final Instant start;
  private final int hours;
  private final long seed;
  private final String round;
  private final long perHour;
  private final long remainder;
  private final int resources;
  private final long places;
  private final long stride;
  /** Resource URIs by subscription, then resource: made once, shared by every record. */
  private final String[][] uris;
  private int hour;
  private long inHour;
  private long offset;
  private SplittableRandom quantities;

  CommerceLoad(String cloudId, List<Subscription> subscriptions, List<String> meters, Instant start, int hours,
      long total, long seed, String round) {
    this.cloudId = cloudId;
    this.subscriptions = List.copyOf(subscriptions);
    this.meters = List.copyOf(meters);
    this.start = start;
    this.hours = hours;
    this.seed = seed;
    this.round = round;
    this.perHour = total / hours;
    this.remainder = total % hours;
    long most = perHour + (remainder > 0 ? 1 : 0);
    long perResource = (long) subscriptions.size() * meters.size();
    this.resources = (int) Math.max(1, (most + perResource - 1) / perResource);
    this.places = perResource * resources;
    this.stride = coprimeNear(places, 0.6180339887);
    this.uris = new String[subscriptions.size()][resources];
    for (int s = 0; s < subscriptions.size(); s++) {
      for (int r = 0; r < resources; r++) {
        uris[s][r] = "/subscriptions/" + subscriptions.get(s).subscriptionId()
            + "/resourceGroups/bench/providers/Microsoft.Compute/virtualMachines/vm-" + round + "-" + r;
      }
    }
    startHour(0);
  }

  /** Resources each (subscription, meter) has: what the total needs. */
  int resources() {
    return resources;
  }

  boolean hasNext() {
    return hour < hours;
  }

  /** The next records, at most {@code max}, in hour order. */
  List<UsageRecord> next(int max) {
    List<UsageRecord> out = new ArrayList<>(max);
    while (out.size() < max && hour < hours) {
      if (inHour == recordsIn(hour)) {
        startHour(hour + 1);
        continue;
      }
      long place = Math.floorMod(stride * inHour + offset, places);
      int s = (int) (place % subscriptions.size());
      long rest = place / subscriptions.size();
      int m = (int) (rest % meters.size());
      int r = (int) (rest / meters.size());
      Instant usage = start.plus(Duration.ofHours(hour));
      Instant end = usage.plus(Duration.ofHours(1));
      Subscription sub = subscriptions.get(s);
      out.add(new UsageRecord(cloudId, end, usage, end, sub.subscriptionId(), sub.tenantId(), meters.get(m), uris[s][r],
          LOCATION, BigDecimal.valueOf(1 + quantities.nextInt(4_000_000), 4)));
      inHour++;
    }
    return out;
  }

  private long recordsIn(int h) {
    return perHour + (h < remainder ? 1 : 0);
  }

  private void startHour(int h) {
    hour = h;
    inHour = 0;
    SplittableRandom random = new SplittableRandom(seed * 0x9e3779b97f4a7c15L + round.hashCode() * 31L + h);
    offset = random.nextLong(places);
    quantities = random.split();
  }

  /** The smallest number at or above {@code fraction} of {@code n} with no common divisor with it. */
  private static long coprimeNear(long n, double fraction) {
    long a = Math.max(1, (long) (n * fraction));
    while (gcd(a, n) != 1) {
      a++;
    }
    return a;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** The body of one upload, as {@code POST …/usage} reads it. */
  static byte[] json(String batchId, String cloudId, List<UsageRecord> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 480);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("batchId", batchId);
      g.writeStringField("cloudId", cloudId);
      g.writeArrayFieldStart("records");
      for (UsageRecord r : records) {
        g.writeStartObject();
        g.writeStringField("meterId", r.meterId());
        g.writeFieldName("quantity");
        g.writeNumber(r.quantity());
        g.writeStringField("location", r.location());
        g.writeStringField("resourceUri", r.resourceUri());
        g.writeStringField("subscriptionId", r.subscriptionId());
        g.writeStringField("tenantId", r.tenantId());
        g.writeStringField("reportedHour", r.reportedHour().toString());
        g.writeStringField("usageStartTime", r.usageStart().toString());
        g.writeStringField("usageEndTime", r.usageEnd().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
