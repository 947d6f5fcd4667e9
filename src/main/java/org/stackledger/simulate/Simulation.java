package org.stackledger.simulate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import org.stackledger.usage.UsageEvent;

/**
 * A deployment's resource providers, simulated: for each hour of {@code [from, to)} the usage events
 * the tenants' resources report. Each tenant gets {@link Sizing} resources, made from the seed; each
 * hour's events are a pure function of the seed, the inputs and the hour, so the same inputs always
 * give the same sequence, any hour can be made alone, and a different seed gives other resources
 * and other event ids.
 *
 * <p>Per hour and tenant, in this order: each VM (Base or Windows VM Size Hours = vcores × the
 * fraction of the hour it ran, and VM size hours = that fraction; a Windows VM deployed with the
 * Hybrid Use Benefit reports the Base meter), then its managed disks (tier in disks × month and
 * actual size in GB × month, each the hour's share of its calendar month), storage accounts
 * (capacity in GB × hours, transactions in 10,000s, blob ingress and egress in GB), public IPs (Static
 * or Dynamic IP Address Usage, 1 a hour), App Service plans (vcore hours and Standard plan hours) and
 * SQL/MySQL databases (MB × hours).
 */
public final class Simulation {
  /** A tenant's user subscription on the deployment and the region its resources live in. */
  public record Tenant(String subscriptionId, String location) {
    public Tenant {
      Objects.requireNonNull(subscriptionId, "subscriptionId");
      Objects.requireNonNull(location, "location");
      if (subscriptionId.isBlank() || location.isBlank()) {
        throw new IllegalArgumentException("a tenant needs a subscription id and a location");
      }
    }

    /** {@code count} tenants with subscription ids (GUIDs) made from the seed, all in one region. */
    public static List<Tenant> generate(long seed, int count, String location) {
      List<Tenant> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long h = Mix.hash(seed, 0x7e4a47L, i);
        out.add(new Tenant(Mix.guid(h, Mix.mix(h)), location));
      }
      return List.copyOf(out);
    }
  }

  /** How many resources of each kind every tenant has. */
  public record Sizing(int vmsPerTenant, int storageAccountsPerTenant, int publicIpsPerTenant,
      int appServicePlansPerTenant, int databasesPerTenant) {
    private static final int MAX = 10_000;

    public Sizing {
      for (int n : new int[] {vmsPerTenant, storageAccountsPerTenant, publicIpsPerTenant, appServicePlansPerTenant,
          databasesPerTenant}) {
        if (n < 0 || n > MAX) {
          throw new IllegalArgumentException("resources per tenant must be 0 to " + MAX + ", not " + n);
        }
      }
    }

    /** Four VMs, a storage account, two public IPs, an App Service plan and a database per tenant. */
    public static Sizing standard() {
      return new Sizing(4, 1, 2, 1, 1);
    }
  }

  private final long seed;
  private final List<Tenant> tenants;
  private final Instant from;
  private final Instant to;
  private final List<Inventory> inventories;

  private Simulation(long seed, List<Tenant> tenants, Instant from, Instant to, Sizing sizing) {
    this.seed = seed;
    this.tenants = List.copyOf(tenants);
    this.from = from;
    this.to = to;
    List<Inventory> made = new ArrayList<>(this.tenants.size());
    for (int i = 0; i < this.tenants.size(); i++) {
      made.add(new Inventory(seed, i, this.tenants.get(i), sizing));
    }
    this.inventories = List.copyOf(made);
  }

  /**
   * A simulation of these tenants over {@code [from, to)}, both on whole hours (UTC), {@code from}
   * before {@code to}.
   */
  public static Simulation of(long seed, List<Tenant> tenants, Instant from, Instant to, Sizing sizing) {
    Objects.requireNonNull(tenants, "tenants");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(sizing, "sizing");
    if (!onTheHour(from) || !onTheHour(to)) {
      throw new IllegalArgumentException("from and to must be whole hours, not " + from + " and " + to);
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    return new Simulation(seed, tenants, from, to, sizing);
  }

  private static boolean onTheHour(Instant t) {
    return t.getNano() == 0 && Math.floorMod(t.getEpochSecond(), 3600) == 0;
  }

  public long seed() {
    return seed;
  }

  public List<Tenant> tenants() {
    return tenants;
  }

  public Instant from() {
    return from;
  }

  public Instant to() {
    return to;
  }

  /**
   * The progress line of a run over hours: {@code "hour 312 of 720 (day 13 of 30), 45,000 events sent"},
   * days when the range is longer than one, so a month reads as days going by.
   */
  public static String hourLine(long hour, long hours, long eventsSent) {
    String days = hours > 24 ? String.format(" (day %d of %d)", (hour - 1) / 24 + 1, (hours + 23) / 24) : "";
    return String.format("hour %,d of %,d%s, %,d events sent", hour, hours, days, eventsSent);
  }

  /** How many hours {@code [from, to)} holds. */
  public long hourCount() {
    return (to.getEpochSecond() - from.getEpochSecond()) / 3600;
  }

  /** The events of one hour of the range, every tenant in order. */
  public List<UsageEvent> hour(Instant hourStart) {
    if (!onTheHour(hourStart) || hourStart.isBefore(from) || !hourStart.isBefore(to)) {
      throw new IllegalArgumentException(hourStart + " is not an hour of [" + from + ", " + to + ")");
    }
    List<UsageEvent> events = new ArrayList<>();
    emit(hourStart.getEpochSecond() / 3600, events::add);
    return events;
  }

  /** The hours in order, each made when asked for. */
  public Iterator<List<UsageEvent>> hours() {
    return new Iterator<>() {
      private long next = from.getEpochSecond() / 3600;
      private final long end = to.getEpochSecond() / 3600;
      private int expected = 16;

      @Override
      public boolean hasNext() {
        return next < end;
      }

      @Override
      public List<UsageEvent> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        List<UsageEvent> events = new ArrayList<>(expected);
        emit(next++, events::add);
        expected = events.size() + 16;
        return events;
      }
    };
  }

  /** Hands each hour's events to {@code perHour}, in order. */
  public void run(Consumer<List<UsageEvent>> perHour) {
    hours().forEachRemaining(perHour);
  }

  /**
   * Hands every event to {@code each}, hour by hour, without collecting an hour first: the cheap way
   * to push millions of events somewhere.
   */
  public void forEach(Consumer<? super UsageEvent> each) {
    for (long h = from.getEpochSecond() / 3600, end = to.getEpochSecond() / 3600; h < end; h++) {
      emit(h, each);
    }
  }

  private void emit(long epochHour, Consumer<? super UsageEvent> out) {
    HourEmitter hour = new HourEmitter(seed, epochHour);
    for (Inventory inventory : inventories) {
      hour.emit(inventory, out);
    }
  }
}
