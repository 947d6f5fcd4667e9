package org.stackledger.meters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The standard catalogue holds every meter id of spec §6, found whatever the case. */
class MeterCatalogueTest {
  private final MeterCatalogue catalogue = MeterCatalogue.standard();

  @Test
  void everySectionOfTheSpecHasAllItsMeters() {
    Map<String, Long> perCategory = catalogue.all().stream()
        .collect(Collectors.groupingBy(Meter::category, Collectors.counting()));
    assertThat(perCategory).containsExactlyInAnyOrderEntriesOf(Map.of("Network", 3L, "Storage", 13L, "Compute", 3L,
        "Managed Disks", 42L, "SQL and MySQL", 2L, "Key Vault", 2L, "App Service", 19L));
    assertThat(catalogue.all()).hasSize(84);
  }

  @Test
  void deprecatedMetersAreTheOldDiskMetersAndThe2016PublicIpMeter() {
    List<Meter> deprecated = catalogue.all().stream().filter(Meter::deprecated).toList();
    assertThat(deprecated).hasSize(21);
    assertThat(deprecated).filteredOn(m -> m.category().equals("Managed Disks")).hasSize(20)
        .allSatisfy(m -> assertThat(m.period()).isEqualTo(Meter.Period.HOURLY));
    assertThat(catalogue.find("f114cb19-ea64-40b5-bcd7-aee474b62853")).get().extracting(Meter::deprecated).isEqualTo(true);
    assertThat(catalogue.all()).filteredOn(m -> m.period() == Meter.Period.MONTHLY).hasSize(22)
        .allSatisfy(m -> assertThat(m.deprecated()).isFalse());
  }

  @Test
  void aSampleOfIdsFromEachTableIsThereWithItsUnitAndProvider() {
    Map<String, String> sample = Map.ofEntries(
        Map.entry("F271A8A388C44D93956A063E1D2FA80B", "Static IP Address Usage|IP addresses|Microsoft.Network"),
        Map.entry("09F8879E-87E9-4305-A572-4B7BE209F857", "BlockBlobCapacity|GB×hours|Microsoft.Storage"),
        Map.entry("43DAF82B-4618-444A-B994-40C23F7CD438", "BlobTransactions|request count in 10,000s|Microsoft.Storage"),
        Map.entry("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5", "Base VM Size Hours|virtual core hours|Microsoft.Compute"),
        Map.entry("9CD92D4C-BAFD-4492-B278-BEDC2DE8232A", "Windows VM Size Hours|virtual core hours|Microsoft.Compute"),
        Map.entry("43626c21-849b-40fe-8c01-e19666059c38", "P50|count of disks × month|Microsoft.Compute"),
        Map.entry("95b0c03f-8a82-4524-8961-ccfbf575f536", "ActualPremiumSnapshotSize|Byte × hours|Microsoft.Compute"),
        Map.entry("CBCFEF9A-B91F-4597-A4D3-01FE334BED82", "DatabaseSizeHourSqlMeter|MB×hours|Microsoft.SQLAdapter"),
        Map.entry("E6D8CFCD-7734-495E-B1CC-5AB0B9C24BD3", "DatabaseSizeHourMySqlMeter|MB×hours|Microsoft.MySQLAdapter"),
        Map.entry("2C354225-B2FE-42E5-AD89-14F0EA302C87", "Advanced keys transactions|10K transactions|Microsoft.KeyVault"),
        Map.entry("190C935E-9ADA-48FF-9AB8-56EA1CF9ADAA", "App Service|virtual core hours|Microsoft.Web"),
        Map.entry("5887D39B-0253-4E12-83C7-03E1A93DFFD9", "External Egress Bandwidth|GB|Microsoft.Web"));
    sample.forEach((id, expected) -> {
      Meter m = catalogue.find(id).orElseThrow(() -> new AssertionError("missing " + id));
      assertThat(m.id()).isEqualTo(id);
      assertThat(m.name() + "|" + m.unit() + "|" + m.resourceProvider()).isEqualTo(expected);
      assertThat(m.kind()).isEqualTo(Meter.Kind.USER);
    });
  }

  @Test
  void idsAreFoundWhateverTheirCaseAndAnswerTheSpecsSpelling() {
    assertThat(catalogue.find("fab6eb84-500b-4a09-a8ca-7358f8bbaea5")).get().extracting(Meter::id)
        .isEqualTo("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5");
    assertThat(catalogue.find("380874F9-300C-48E0-95A0-D2D9A21ADE8F")).get().extracting(Meter::id)
        .isEqualTo("380874f9-300c-48e0-95a0-d2d9a21ade8f");
    assertThat(catalogue.find("f271a8a388c44d93956a063e1d2fa80b")).isPresent();
    for (Meter m : catalogue.all()) {
      assertThat(catalogue.find(m.id().toLowerCase())).contains(m);
      assertThat(catalogue.find(m.id().toUpperCase())).contains(m);
    }
  }

  @Test
  void aDashedAndAnUndashedSpellingAreDifferentIds() {
    assertThat(catalogue.find("F271A8A3-88C4-4D93-956A-063E1D2FA80B")).isEmpty();
    assertThat(catalogue.find("FAB6EB84500B4A09A8CA7358F8BBAEA5")).isEmpty();
    assertThat(catalogue.find("not-a-meter")).isEmpty();
    assertThat(catalogue.find("")).isEmpty();
    assertThat(catalogue.find(null)).isEmpty();
  }

  @Test
  void idsAreUniqueRegardlessOfCase() {
    assertThat(catalogue.all()).extracting(m -> m.id().toLowerCase()).doesNotHaveDuplicates();
    Meter one = catalogue.all().get(0);
    Meter again = new Meter(one.id().toLowerCase(), "x", "y", "z", "p", Meter.Kind.USER, Meter.Period.HOURLY, false, "");
    assertThatThrownBy(() -> MeterCatalogue.of(List.of(one, again))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void findAllocatesNothing() {
    // Ids as an intake would receive them: new strings, mixed case, some unknown.
    List<String> ids = catalogue.all().stream().map(Meter::id)
        .flatMap(id -> java.util.stream.Stream.of(new String(id.toLowerCase()), new String(id), id + "0")).toList();
    Function<Integer, Long> lookups = rounds -> {
      long found = 0;
      for (int r = 0; r < rounds; r++) {
        for (String id : ids) {
          if (catalogue.find(id).isPresent()) {
            found++;
          }
        }
      }
      return found;
    };
    lookups.apply(2_000);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    long found = lookups.apply(1_000);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(found).isEqualTo(1_000L * 2 * catalogue.all().size());
    assertThat(allocated).as("bytes allocated by %s lookups", 1_000L * ids.size()).isLessThan(64_000);
  }
}
