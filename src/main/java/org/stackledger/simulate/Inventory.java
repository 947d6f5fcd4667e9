package org.stackledger.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenant's resources, made once from the seed: names, sizes, schedules and every quantity that
 * does not change from hour to hour, so that making an hour's events costs little more than the
 * events themselves.
 */
final class Inventory {
  /** The months' lengths in hours, 28 to 31 days, indexed by {@code days - 28}. */
  static final int[] MONTH_HOURS = {672, 696, 720, 744};
  /** One disk for one hour, in disks × month: per month length, per hour of the month. */
  static final BigDecimal[][] DISK_MONTH_SHARE = monthShares();

  static final int[] VCORES = {1, 2, 4, 8, 16};
  private static final String[] VM_SERIES = {"Standard_D1_v2", "Standard_D2_v2", "Standard_D3_v2", "Standard_D4_v2",
      "Standard_D5_v2"};
  private static final String[] ROLES = {"web", "app", "sql", "build", "dc", "file", "jump", "cache"};
  private static final String[] GROUPS = {"rg-web", "rg-apps", "rg-data", "rg-infra"};
  private static final String[] ENVIRONMENTS = {"production", "staging", "test"};
  /** Standard then premium tiers: S4 … S50 / P4 … P50, with their sizes in GB. */
  static final int[] TIER_GB = {32, 64, 128, 256, 512, 1024, 2048, 4096};

  enum Schedule { ALWAYS, OFFICE_HOURS, BURSTY }

  record Vm(long key, String uri, int size, boolean windows, boolean hybridBenefit, Schedule schedule, int officeStart,
      String tags, String additionalInfo, List<Disk> disks) {}

  record Disk(long key, String uri, boolean premium, int tier, String tags, long usedGb) {}

  record StorageAccount(long key, String uri, String tags, long blockMicroGb, long pageMicroGb, long tableMicroGb,
      long queueMicroGb, int blobRequests, int tableRequests, int queueRequests) {}

  record PublicIp(long key, String uri, boolean isStatic, String tags) {}

  record Plan(long key, String uri, int size, String tags, BigDecimal vcoreHours, BigDecimal instanceHours) {}

  record Database(long key, String uri, boolean mysql, String tags, BigDecimal megabytes) {}

  final String subscriptionId;
  final String location;
  final List<Vm> vms = new ArrayList<>();
  final List<StorageAccount> storage = new ArrayList<>();
  final List<PublicIp> ips = new ArrayList<>();
  final List<Plan> plans = new ArrayList<>();
  final List<Database> databases = new ArrayList<>();

  Inventory(long seed, int tenant, Simulation.Tenant t, Simulation.Sizing sizing) {
    this.subscriptionId = t.subscriptionId();
    this.location = t.location();
    String sub = "/subscriptions/" + subscriptionId + "/resourceGroups/";
    long base = Mix.hash(seed, tenant);
    for (int i = 0; i < sizing.vmsPerTenant(); i++) {
      vms.add(vm(Mix.hash(base, 1, i), sub, i));
    }
    for (int i = 0; i < sizing.storageAccountsPerTenant(); i++) {
      storage.add(storageAccount(Mix.hash(base, 2, i), sub));
    }
    for (int i = 0; i < sizing.publicIpsPerTenant(); i++) {
      long k = Mix.hash(base, 3, i);
      ips.add(new PublicIp(k, sub + group(k) + "/providers/Microsoft.Network/publicIPAddresses/pip-" + two(i + 1),
          Mix.roll(k, 0, 3) != 0, tags(k)));
    }
    for (int i = 0; i < sizing.appServicePlansPerTenant(); i++) {
      long k = Mix.hash(base, 4, i);
      int size = Mix.roll(k, 8, 3);
      int instances = 1 + Mix.roll(k, 16, 3);
      plans.add(new Plan(k, sub + "rg-apps/providers/Microsoft.Web/serverfarms/plan-" + two(i + 1), size, tags(k),
          BigDecimal.valueOf((long) instances << size), BigDecimal.valueOf(instances)));
    }
    for (int i = 0; i < sizing.databasesPerTenant(); i++) {
      long k = Mix.hash(base, 5, i);
      boolean mysql = Mix.roll(k, 0, 10) < 3;
      String uri = sub + "rg-data/providers/" + (mysql ? "Microsoft.MySQLAdapter" : "Microsoft.SQLAdapter")
          + "/databases/" + (mysql ? "mysql-" : "sqldb-") + two(i + 1);
      databases.add(new Database(k, uri, mysql, tags(k), BigDecimal.valueOf(256L << Mix.roll(k, 8, 7))));
    }
  }

  private Vm vm(long k, String sub, int i) {
    int size = pick(Mix.hash(k, 4), new int[] {20, 35, 25, 15, 5});
    boolean windows = Mix.roll(k, 12, 2) == 0;
    boolean hybrid = windows && Mix.roll(k, 16, 5) == 0;
    Schedule schedule = Schedule.values()[pick(Mix.hash(k, 20), new int[] {55, 30, 15})];
    String name = ROLES[Mix.roll(k, 28, ROLES.length)] + "-" + two(i + 1);
    String group = group(k);
    String prefix = sub + group + "/providers/Microsoft.Compute/";
    String info = "{\"ServiceType\":\"" + VM_SERIES[size] + "\",\"ImageType\":\"" + (windows ? "Windows" : "Linux")
        + "\"}";
    List<Disk> disks = new ArrayList<>();
    int dataDisks = Mix.roll(k, 36, 3);
    for (int d = 0; d <= dataDisks; d++) {
      long dk = Mix.hash(k, 7, d);
      String diskName = d == 0 ? name + "_OsDisk_1" : name + "_DataDisk_" + (d - 1);
      boolean premium = Mix.roll(dk, 0, 3) == 0;
      int tier = d == 0 ? 2 + Mix.roll(dk, 8, 2) : Mix.roll(dk, 8, TIER_GB.length);
      // The used part of a disk: between a tenth and all of its size, in whole GB.
      long usedGb = Math.max(1, TIER_GB[tier] * (10 + Mix.roll(dk, 16, 91)) / 100L);
      disks.add(new Disk(dk, prefix + "disks/" + diskName, premium, tier, tags(dk), usedGb));
    }
    return new Vm(k, prefix + "virtualMachines/" + name, size, windows, hybrid, schedule, 6 + Mix.roll(k, 40, 4),
        tags(k), info, List.copyOf(disks));
  }

  private StorageAccount storageAccount(long k, String sub) {
    String uri = sub + group(k) + "/providers/Microsoft.Storage/storageAccounts/st" + Mix.hex(k, 12);
    boolean tables = Mix.roll(k, 8, 2) == 0;
    boolean queues = Mix.roll(k, 9, 3) == 0;
    return new StorageAccount(k, uri, tags(k), micro(Mix.hash(k, 12), 2000), micro(Mix.hash(k, 24), 500),
        tables ? micro(Mix.hash(k, 36), 50) : 0, queues ? micro(Mix.hash(k, 44), 5) : 0, 1 + Mix.roll(k, 20, 400_000),
        tables ? 1 + Mix.roll(k, 30, 50_000) : 0, queues ? 1 + Mix.roll(k, 40, 20_000) : 0);
  }

  /** A capacity of up to {@code maxGb} GB, in millionths of a GB. */
  private static long micro(long hash, int maxGb) {
    return 1 + Mix.below(hash, maxGb * 1_000_000);
  }

  private static String group(long k) {
    return GROUPS[Mix.roll(k, 48, GROUPS.length)];
  }

  /** A third of resources carry tags, as JSON object text. */
  private static String tags(long k) {
    long t = Mix.mix(k);
    if (Mix.roll(t, 0, 3) != 0) {
      return null;
    }
    return "{\"environment\":\"" + ENVIRONMENTS[Mix.roll(t, 8, ENVIRONMENTS.length)] + "\",\"costCenter\":\"cc-"
        + (1000 + Mix.roll(t, 16, 9000)) + "\"}";
  }

  /** An index drawn with the given weights (in percent). */
  private static int pick(long hash, int[] weights) {
    int roll = Mix.below(hash, 100);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /**
   * The share of a month each hour carries, per month length: hour {@code k} carries
   * {@code round((k+1)/N) - round(k/N)} at ten decimals, so the shares are exact decimals and a whole
   * month's add up to exactly one — where 1/N rounded alike every hour would drift (1/720 × 720 is
   * 1.0000000080), and any total printed of them would show the drift.
   */
  static BigDecimal[][] monthShares() {
    BigDecimal[][] out = new BigDecimal[MONTH_HOURS.length][];
    for (int i = 0; i < out.length; i++) {
      int hours = MONTH_HOURS[i];
      out[i] = new BigDecimal[hours];
      BigDecimal before = BigDecimal.ZERO;
      for (int k = 0; k < hours; k++) {
        BigDecimal upTo = BigDecimal.valueOf(k + 1L).divide(BigDecimal.valueOf(hours), 10, RoundingMode.HALF_EVEN);
        out[i][k] = upTo.subtract(before).stripTrailingZeros();
        before = upTo;
      }
    }
    return out;
  }
}
