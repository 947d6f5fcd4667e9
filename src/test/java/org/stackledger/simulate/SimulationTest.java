package org.stackledger.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.usage.UsageEvent;

/** The simulated resource providers: deterministic, valid windows, known meters, only the given tenants. */
class SimulationTest {
  private static final Instant FROM = Instant.parse("2026-01-30T20:00:00Z");
  private static final Instant TO = Instant.parse("2026-02-02T04:00:00Z");
  private static final List<Simulation.Tenant> TENANTS = List.of(
      new Simulation.Tenant("6f1c7a2e-0d43-4c5e-9b43-3f1a9e0b7c11", "local"),
      new Simulation.Tenant("0a8d2b55-7c1e-4f0a-8e6d-2c9b5f3e4d21", "redmond"));

  private static List<UsageEvent> all(Simulation sim) {
    List<UsageEvent> out = new ArrayList<>();
    sim.forEach(out::add);
    return out;
  }

  @Test
  void theSameSeedAndInputsGiveTheSameEvents() {
    Simulation one = Simulation.of(42, TENANTS, FROM, TO, Simulation.Sizing.standard());
    Simulation two = Simulation.of(42, TENANTS, FROM, TO, Simulation.Sizing.standard());
    List<UsageEvent> events = all(one);
    assertThat(events).isNotEmpty().isEqualTo(all(two));
    List<UsageEvent> byHour = new ArrayList<>();
    one.run(byHour::addAll);
    assertThat(byHour).isEqualTo(events);
    assertThat(one.hour(FROM.plus(5, ChronoUnit.HOURS))).isEqualTo(two.hour(FROM.plus(5, ChronoUnit.HOURS)));
  }

  @Test
  void anHourMadeAloneEqualsThatHourOfTheWholeRun() {
    Simulation sim = Simulation.of(7, TENANTS, FROM, TO, Simulation.Sizing.standard());
    var hours = sim.hours();
    for (long h = 0; h < sim.hourCount(); h++) {
      assertThat(sim.hour(FROM.plus(h, ChronoUnit.HOURS))).isEqualTo(hours.next());
    }
    assertThat(hours.hasNext()).isFalse();
  }

  @Test
  void aDifferentSeedGivesOtherEvents() {
    List<UsageEvent> a = all(Simulation.of(1, TENANTS, FROM, TO, Simulation.Sizing.standard()));
    List<UsageEvent> b = all(Simulation.of(2, TENANTS, FROM, TO, Simulation.Sizing.standard()));
    assertThat(a).isNotEqualTo(b);
    Set<String> idsOfA = a.stream().map(UsageEvent::eventId).collect(Collectors.toSet());
    assertThat(b).noneMatch(e -> idsOfA.contains(e.eventId()));
  }

  @Test
  void everyEventIsValidForSeededInputs() {
    MeterCatalogue catalogue = MeterCatalogue.standard();
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 20; round++) {
      List<Simulation.Tenant> tenants = Simulation.Tenant.generate(random.nextLong(), 1 + random.nextInt(4), "local");
      Instant from = Instant.parse("2025-12-30T00:00:00Z").plus(random.nextInt(24 * 90), ChronoUnit.HOURS);
      Instant to = from.plus(1 + random.nextInt(60), ChronoUnit.HOURS);
      var sizing = new Simulation.Sizing(random.nextInt(6), random.nextInt(3), random.nextInt(3), random.nextInt(3),
          random.nextInt(3));
      Set<String> subscriptions = tenants.stream().map(Simulation.Tenant::subscriptionId).collect(Collectors.toSet());
      Set<String> ids = new HashSet<>();
      String context = "seed " + seed + ", round " + round;
      Simulation.of(random.nextLong(), tenants, from, to, sizing).forEach(e -> {
        assertThat(subscriptions).as(context).contains(e.subscriptionId());
        assertThat(catalogue.find(e.meterId())).as(context).get().extracting(Meter::deprecated).isEqualTo(false);
        assertThat(e.usageEndTime()).as(context).isAfter(e.usageStartTime());
        Instant hour = e.usageStartTime().truncatedTo(ChronoUnit.HOURS);
        assertThat(e.usageEndTime()).as(context).isBeforeOrEqualTo(hour.plus(Duration.ofHours(1)));
        assertThat(e.usageStartTime()).as(context).isAfterOrEqualTo(from);
        assertThat(e.usageEndTime()).as(context).isBeforeOrEqualTo(to);
        assertThat(e.quantity().signum()).as(context).isGreaterThanOrEqualTo(0);
        assertThat(e.quantity().scale()).as(context).isLessThanOrEqualTo(10);
        assertThat(e.resourceUri()).as(context).startsWith("/subscriptions/" + e.subscriptionId() + "/resourceGroups/")
            .contains("/providers/");
        assertThat(e.location()).isEqualTo("local");
        assertThat(e.eventId()).as(context).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(ids.add(e.eventId())).as("%s: event id %s twice", context, e.eventId()).isTrue();
      });
    }
  }

  @Test
  void vmsReportVcoreHoursTheirSizeAndImage() {
    List<UsageEvent> events = all(Simulation.of(3, TENANTS, FROM, TO, new Simulation.Sizing(20, 0, 0, 0, 0)));
    List<UsageEvent> vms = events.stream().filter(e -> e.resourceUri().contains("/Microsoft.Compute/virtualMachines/"))
        .toList();
    assertThat(vms).isNotEmpty().allSatisfy(e -> {
      assertThat(e.meterId()).isIn(HourEmitter.BASE_VM, HourEmitter.WINDOWS_VM, HourEmitter.VM_HOURS);
      assertThat(e.additionalInfo()).matches("\\{\"ServiceType\":\"Standard_D[1-5]_v2\",\"ImageType\":\"(Windows|Linux)\"}");
      assertThat(e.quantity()).isLessThanOrEqualTo(e.meterId().equals(HourEmitter.VM_HOURS) ? BigDecimal.ONE
          : BigDecimal.valueOf(16));
    });
    assertThat(vms).extracting(UsageEvent::meterId).contains(HourEmitter.BASE_VM, HourEmitter.WINDOWS_VM);
    assertThat(vms).as("some VMs start or stop within an hour")
        .anyMatch(e -> Duration.between(e.usageStartTime(), e.usageEndTime()).compareTo(Duration.ofHours(1)) < 0);
    assertThat(events).anyMatch(e -> e.resourceUri().contains("/Microsoft.Compute/disks/"));
    assertThat(events).anyMatch(e -> e.tags() != null).anyMatch(e -> e.tags() == null);
  }

  @Test
  void aDiskCostsExactlyOneDiskMonthAndWholeGigabyteMonthsOverAWholeMonth() {
    List<UsageEvent> events = all(Simulation.of(9, TENANTS.subList(0, 1), Instant.parse("2026-02-01T00:00:00Z"),
        Instant.parse("2026-03-01T00:00:00Z"), new Simulation.Sizing(1, 0, 0, 0, 0)));
    String osDisk = events.stream().map(UsageEvent::resourceUri).filter(u -> u.endsWith("_OsDisk_1")).findFirst()
        .orElseThrow();
    BigDecimal diskMonths = events.stream().filter(e -> e.resourceUri().equals(osDisk))
        .filter(e -> !e.meterId().equals(HourEmitter.ACTUAL_STANDARD) && !e.meterId().equals(HourEmitter.ACTUAL_PREMIUM))
        .map(UsageEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(diskMonths).isEqualByComparingTo(BigDecimal.ONE);
    BigDecimal gbMonths = events.stream().filter(e -> e.resourceUri().equals(osDisk))
        .filter(e -> e.meterId().equals(HourEmitter.ACTUAL_STANDARD) || e.meterId().equals(HourEmitter.ACTUAL_PREMIUM))
        .map(UsageEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(gbMonths.stripTrailingZeros().scale()).as("%s GB × months", gbMonths).isLessThanOrEqualTo(0);
  }

  @Test
  void vmUsageIsAnExactFractionOfTheHourSoItsSumsPrintWithoutDrift() {
    List<UsageEvent> vms = all(Simulation.of(5, TENANTS, FROM, TO, new Simulation.Sizing(20, 0, 0, 0, 0))).stream()
        .filter(e -> e.resourceUri().contains("/Microsoft.Compute/virtualMachines/")).toList();
    assertThat(vms).isNotEmpty().allSatisfy(e -> assertThat(e.quantity().stripTrailingZeros().scale())
        .as("%s", e.quantity()).isLessThanOrEqualTo(2));
    assertThat(vms).anyMatch(e -> e.quantity().stripTrailingZeros().scale() == 2);
  }

  @Test
  void everyKindOfProviderReports() {
    List<UsageEvent> events = all(Simulation.of(5, TENANTS, FROM, TO, new Simulation.Sizing(2, 2, 2, 2, 6)));
    assertThat(events).extracting(UsageEvent::meterId).contains(HourEmitter.BLOCK_BLOB, HourEmitter.BLOB_TRANSACTIONS,
        HourEmitter.APP_SERVICE, HourEmitter.VM_HOURS).containsAnyOf(HourEmitter.STATIC_IP, HourEmitter.DYNAMIC_IP)
        .containsAnyOf(HourEmitter.SQL, HourEmitter.MYSQL);
  }

  @Test
  void theRangeMustBeWholeHoursAndNotEmpty() {
    var sizing = Simulation.Sizing.standard();
    assertThatThrownBy(() -> Simulation.of(1, TENANTS, FROM.plusSeconds(60), TO, sizing))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Simulation.of(1, TENANTS, FROM, FROM, sizing)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Simulation.Sizing(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    Simulation sim = Simulation.of(1, TENANTS, FROM, TO, sizing);
    assertThatThrownBy(() -> sim.hour(TO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(sim.hourCount()).isEqualTo(56);
  }

  @Test
  void generatedTenantsAreStableGuids() {
    assertThat(Simulation.Tenant.generate(11, 3, "local")).isEqualTo(Simulation.Tenant.generate(11, 3, "local"))
        .extracting(Simulation.Tenant::subscriptionId).doesNotHaveDuplicates()
        .allMatch(s -> s.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }
}
