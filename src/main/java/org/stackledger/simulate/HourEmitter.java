package org.stackledger.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Consumer;
import org.stackledger.usage.UsageEvent;

/**
 * Makes one hour's events for a tenant's resources, as each resource provider would report them. Every
 * window lies inside the hour; quantities come from tables made once, so the loop allocates the
 * event, its id and (for a VM started or stopped in the hour) its window's bounds, little else.
 */
final class HourEmitter {
  // Meter ids, spelled as the catalogue (spec §6) spells them.
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String WINDOWS_VM = "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A";
  static final String VM_HOURS = "6DAB500F-A4FD-49C4-956D-229BB9C8C793";
  static final String[] STANDARD_TIERS = {"380874f9-300c-48e0-95a0-d2d9a21ade8f", "1b77d90f-427b-4435-b4f1-d78adec53222",
      "d5f7731b-f639-404a-89d0-e46186e22c8d", "ff85ef31-da5b-4eac-95dd-a69d6f97b18a",
      "88ea9228-457a-4091-adc9-ad5194f30b6e", "5b1db88a-8596-4002-8052-347947c26940",
      "14496322-39cb-4d33-b67d-39b0c2de0c8e", "8c003d25-afb4-4f21-b1fa-86a5b0f001c7"};
  static final String[] PREMIUM_TIERS = {"7660b45b-b29d-49cb-b816-59f30fbab011", "817007fd-a077-477f-bc01-b876f27205fd",
      "e554b6bc-96cd-4938-a5b5-0da990278519", "cdc0f53a-62a9-4472-a06c-e99a23b02907",
      "b9cb2d1a-84c2-4275-aa8b-70d2145d59aa", "06bde724-9f94-43c0-84c3-d0fc54538369",
      "eecb2657-e7e6-47f9-9b00-7f58fa8839cb", "43626c21-849b-40fe-8c01-e19666059c38"};
  static final String ACTUAL_STANDARD = "7ba084ec-ef9c-4d64-a179-7732c6cb5e28";
  static final String ACTUAL_PREMIUM = "daef389a-06e5-4684-a7f7-8813d9f792d5";
  static final String BLOCK_BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  static final String PAGE_BLOB = "B5C15376-6C94-4FDD-B655-1A69D138ACA3";
  static final String TABLE = "B4438D5D-453B-4EE1-B42A-DC72E377F1E4";
  static final String QUEUE = "B03C6AE7-B080-4BFA-84A3-22C800F315C6";
  static final String BLOB_TRANSACTIONS = "43DAF82B-4618-444A-B994-40C23F7CD438";
  static final String TABLE_TRANSACTIONS = "B9FF3CD0-28AA-4762-84BB-FF8FBAEA6A90";
  static final String QUEUE_TRANSACTIONS = "EB43DD12-1AA6-4C4B-872C-FAF15A6785EA";
  static final String BLOB_IN = "9764F92C-E44A-498E-8DC1-AAD66587A810";
  static final String BLOB_OUT = "3023FEF4-ECA5-4D7B-87B3-CFBC061931E8";
  static final String STATIC_IP = "F271A8A388C44D93956A063E1D2FA80B";
  static final String DYNAMIC_IP = "9E2739BA86744796B465F64674B822BA";
  static final String APP_SERVICE = "190C935E-9ADA-48FF-9AB8-56EA1CF9ADAA";
  static final String[] STANDARD_PLANS = {"88039D51-A206-3A89-E9DE-C5117E2D10A6", "83A2A13E-4788-78DD-5D55-2831B68ED825",
      "1083B9DB-E9BB-24BE-A5E9-D6FDD0DDEFE6"};
  static final String SQL = "CBCFEF9A-B91F-4597-A4D3-01FE334BED82";
  static final String MYSQL = "E6D8CFCD-7734-495E-B1CC-5AB0B9C24BD3";

  /**
   * vcores × minutes / 60 for each VM size and minute count 0–60. A VM starts or stops on a minute
   * divisible by three, so every count used is too and its fraction of the hour is an exact decimal
   * (3/60 = 0.05): the sums of these, as printed, are what a person would add up.
   */
  private static final BigDecimal[][] VCORE_HOURS = new BigDecimal[Inventory.VCORES.length][61];

  static {
    for (int s = 0; s < Inventory.VCORES.length; s++) {
      for (int m = 0; m <= 60; m++) {
        VCORE_HOURS[s][m] = BigDecimal.valueOf((long) Inventory.VCORES[s] * m)
            .divide(BigDecimal.valueOf(60), 10, RoundingMode.HALF_EVEN).stripTrailingZeros();
      }
    }
  }

  private final long seed;
  private final long epochHour;
  private final Instant start;
  private final Instant end;
  /** The hour's share of its month (disks × month), and the same as an unscaled long and a scale. */
  private final BigDecimal monthShare;
  private final long monthShareUnscaled;
  private final int monthShareScale;

  HourEmitter(long seed, long epochHour) {
    this.seed = seed;
    this.epochHour = epochHour;
    this.start = Instant.ofEpochSecond(epochHour * 3600);
    this.end = Instant.ofEpochSecond((epochHour + 1) * 3600);
    long day = Math.floorDiv(epochHour, 24);
    LocalDate date = LocalDate.ofEpochDay(day);
    int month = date.lengthOfMonth() - 28;
    int hourOfMonth = (date.getDayOfMonth() - 1) * 24 + (int) Math.floorMod(epochHour, 24);
    this.monthShare = Inventory.DISK_MONTH_SHARE[month][hourOfMonth];
    this.monthShareUnscaled = monthShare.unscaledValue().longValueExact();
    this.monthShareScale = monthShare.scale();
  }

  void emit(Inventory inv, Consumer<? super UsageEvent> out) {
    for (Inventory.Vm vm : inv.vms) {
      vm(inv, vm, out);
    }
    for (Inventory.StorageAccount account : inv.storage) {
      storage(inv, account, out);
    }
    for (Inventory.PublicIp ip : inv.ips) {
      event(inv, ip.key(), 1, ip.isStatic() ? STATIC_IP : DYNAMIC_IP, BigDecimal.ONE, start, end, ip.uri(), ip.tags(), null, out);
    }
    for (Inventory.Plan plan : inv.plans) {
      event(inv, plan.key(), 1, APP_SERVICE, plan.vcoreHours(), start, end, plan.uri(), plan.tags(), null, out);
      event(inv, plan.key(), 2, STANDARD_PLANS[plan.size()], plan.instanceHours(), start, end, plan.uri(), plan.tags(),
          null, out);
    }
    for (Inventory.Database db : inv.databases) {
      event(inv, db.key(), 1, db.mysql() ? MYSQL : SQL, db.megabytes(), start, end, db.uri(), db.tags(), null, out);
    }
  }

  private void vm(Inventory inv, Inventory.Vm vm, Consumer<? super UsageEvent> out) {
    boolean before = running(vm, epochHour);
    boolean after = running(vm, epochHour + 1);
    if (before || after) {
      // A VM started or stopped within the hour does so at a whole minute divisible by three, 3 to 57 past.
      int minute = 3 * (1 + Mix.below(Mix.hash(vm.key(), epochHour, 11), 19));
      Instant from = before ? start : start.plusSeconds(minute * 60L);
      Instant to = after ? end : start.plusSeconds(minute * 60L);
      int minutes = before && after ? 60 : before ? minute : 60 - minute;
      String meter = vm.windows() && !vm.hybridBenefit() ? WINDOWS_VM : BASE_VM;
      event(inv, vm.key(), 1, meter, VCORE_HOURS[vm.size()][minutes], from, to, vm.uri(), vm.tags(), vm.additionalInfo(), out);
      event(inv, vm.key(), 2, VM_HOURS, VCORE_HOURS[0][minutes], from, to, vm.uri(), vm.tags(), vm.additionalInfo(), out);
    }
    // Disks are billed whether their VM runs or not.
    for (Inventory.Disk disk : vm.disks()) {
      String tier = disk.premium() ? PREMIUM_TIERS[disk.tier()] : STANDARD_TIERS[disk.tier()];
      event(inv, disk.key(), 1, tier, monthShare, start, end, disk.uri(), disk.tags(), null, out);
      // Used GB × the hour's share, exact: at most 4,096 × 10^10 as an unscaled long.
      event(inv, disk.key(), 2, disk.premium() ? ACTUAL_PREMIUM : ACTUAL_STANDARD,
          BigDecimal.valueOf(disk.usedGb() * monthShareUnscaled, monthShareScale), start, end, disk.uri(), disk.tags(),
          null, out);
    }
  }

  /** Whether a VM runs at the start of an hour. */
  private boolean running(Inventory.Vm vm, long hour) {
    return switch (vm.schedule()) {
      case ALWAYS -> true;
      case OFFICE_HOURS -> {
        long h = Math.floorMod(hour, 24);
        // 1970-01-01 was a Thursday: with Monday as 0, epoch day 0 is 3.
        boolean workday = Math.floorMod(Math.floorDiv(hour, 24) + 3, 7) < 5;
        yield workday && h >= vm.officeStart() && h < vm.officeStart() + 10;
      }
      case BURSTY -> Mix.below(Mix.hash(vm.key(), hour, 13), 100) < 40;
    };
  }

  private void storage(Inventory inv, Inventory.StorageAccount a, Consumer<? super UsageEvent> out) {
    long h = Mix.hash(a.key(), epochHour, 17);
    capacity(inv, a, 1, BLOCK_BLOB, a.blockMicroGb(), h, out);
    capacity(inv, a, 2, PAGE_BLOB, a.pageMicroGb(), h >>> 8, out);
    capacity(inv, a, 3, TABLE, a.tableMicroGb(), h >>> 16, out);
    capacity(inv, a, 4, QUEUE, a.queueMicroGb(), h >>> 24, out);
    // Requests in 10,000s: whole requests are exact at four decimals.
    requests(inv, a, 5, BLOB_TRANSACTIONS, a.blobRequests(), Mix.hash(h, 5), out);
    requests(inv, a, 6, TABLE_TRANSACTIONS, a.tableRequests(), Mix.hash(h, 6), out);
    requests(inv, a, 7, QUEUE_TRANSACTIONS, a.queueRequests(), Mix.hash(h, 7), out);
    // Ingress and egress in GB, from bytes: exact at nine decimals.
    long in = Mix.below(Mix.hash(h, 8), 2_000_000_000);
    long egress = Mix.below(Mix.hash(h, 9), 1_000_000_000);
    if (in > 0) {
      event(inv, a.key(), 8, BLOB_IN, BigDecimal.valueOf(in, 9), start, end, a.uri(), a.tags(), null, out);
    }
    if (egress > 0) {
      event(inv, a.key(), 9, BLOB_OUT, BigDecimal.valueOf(egress, 9), start, end, a.uri(), a.tags(), null, out);
    }
  }

  /** GB × hours for a full hour: the account's capacity, give or take a hundredth from hour to hour. */
  private void capacity(Inventory inv, Inventory.StorageAccount a, int salt, String meter, long microGb, long h,
      Consumer<? super UsageEvent> out) {
    if (microGb > 0) {
      long jitter = Mix.below(Mix.hash(h, salt), (int) Math.min(Integer.MAX_VALUE, microGb / 100 + 1));
      event(inv, a.key(), salt, meter, BigDecimal.valueOf(microGb + jitter, 6), start, end, a.uri(), a.tags(), null, out);
    }
  }

  private void requests(Inventory inv, Inventory.StorageAccount a, int salt, String meter, int ceiling, long h,
      Consumer<? super UsageEvent> out) {
    if (ceiling > 0) {
      int n = Mix.below(h, ceiling);
      if (n > 0) {
        event(inv, a.key(), salt, meter, BigDecimal.valueOf(n, 4), start, end, a.uri(), a.tags(), null, out);
      }
    }
  }

  private void event(Inventory inv, long resource, int salt, String meter, BigDecimal quantity, Instant from, Instant to,
      String uri, String tags, String info, Consumer<? super UsageEvent> out) {
    long id = Mix.hash(seed ^ resource, epochHour, salt);
    out.accept(new UsageEvent(Mix.guid(id, Mix.mix(id ^ 0x5deece66dL)), inv.subscriptionId, meter, quantity, from, to,
        uri, inv.location, tags, info));
  }
}
