package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stackledger.commerce.Attribution.Attributed;
import org.stackledger.commerce.Attribution.Rule;
import org.stackledger.registration.RegistrationStore.CloudHistory;
import org.stackledger.registration.RegistrationStore.EndedBy;
import org.stackledger.registration.RegistrationStore.Mapping;
import org.stackledger.registration.RegistrationStore.Period;

/**
 * The attribution rule alone (spec §4.3, invariant 4), over hand-made history: a usage hour is paid by
 * the customer subscription mapped for its tenant at the <em>start</em> of the hour — a mapping's start
 * is inclusive and its end exclusive — else by the subscription of the registration that held the
 * CloudId then, else by the registration now reporting.
 */
class AttributionTest {
  private static final String CLOUD = "5b1b2e3f-0000-4000-8000-00000000c10d";
  private static final String TENANT = "7f7e7d7c-0000-4000-8000-0000000000a1";
  private static final String OTHER_TENANT = "7f7e7d7c-0000-4000-8000-0000000000b2";
  private static final String REG_1 = "/subscriptions/aaaaaaaa-0000-4000-8000-000000000001/resourceGroups/azurestack"
      + "/providers/Microsoft.AzureStack/registrations/first";
  private static final String REG_2 = "/subscriptions/aaaaaaaa-0000-4000-8000-000000000002/resourceGroups/azurestack"
      + "/providers/Microsoft.AzureStack/registrations/second";
  private static final String REG_SUB_1 = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String REG_SUB_2 = "aaaaaaaa-0000-4000-8000-000000000002";
  private static final String CUSTOMER_A = "cccccccc-0000-4000-8000-00000000000a";
  private static final String CUSTOMER_B = "cccccccc-0000-4000-8000-00000000000b";

  private static Instant at(String time) {
    return Instant.parse("2026-03-02T" + time + "Z");
  }

  private static Period period(String registrationId, String subscriptionId, String from, String to) {
    return new Period(registrationId, subscriptionId, at(from), to == null ? null : at(to));
  }

  private static Mapping mapping(String tenant, String customerSubscription, String from, String to, EndedBy why) {
    return new Mapping(tenant, customerSubscription, CLOUD, at(from), to == null ? null : at(to), why);
  }

  /** One registration in force since 06:00, reporting now. */
  private static Attribution oneRegistration(Mapping... mappings) {
    return new Attribution(new CloudHistory(CLOUD, List.of(period(REG_1, REG_SUB_1, "06:00:00", null)),
        List.of(mappings)), REG_1, REG_SUB_1);
  }

  private static void assertCustomer(Attributed a, String subscription, Mapping mapping) {
    assertThat(a.billingSubscriptionId()).isEqualTo(subscription);
    assertThat(a.rule()).isEqualTo(Rule.CustomerSubscription);
    assertThat(a.mapping()).isEqualTo(mapping);
  }

  private static void assertDefault(Attributed a, String subscription, String registration) {
    assertThat(a.billingSubscriptionId()).isEqualTo(subscription);
    assertThat(a.rule()).isEqualTo(Rule.RegistrationDefault);
    assertThat(a.registrationId()).isEqualTo(registration);
    assertThat(a.mapping()).isNull();
  }

  @Test
  void aTenantWithoutMappingIsBilledToTheRegistrationSubscription() {
    Attribution attribution = oneRegistration();

    assertDefault(attribution.attribute(TENANT, at("10:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void aMappingMadeExactlyOnTheHourPaysForThatHourButNotTheOneBefore() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "10:00:00", null, null);
    Attribution attribution = oneRegistration(m);

    assertDefault(attribution.attribute(TENANT, at("09:00:00")), REG_SUB_1, REG_1);
    assertCustomer(attribution.attribute(TENANT, at("10:00:00")), CUSTOMER_A, m);
    assertCustomer(attribution.attribute(TENANT, at("11:00:00")), CUSTOMER_A, m);
  }

  @Test
  void aMappingMadeAtHalfPastPaysFromTheNextHourOnly() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "10:30:00", null, null);
    Attribution attribution = oneRegistration(m);

    assertDefault(attribution.attribute(TENANT, at("10:00:00")), REG_SUB_1, REG_1);
    assertCustomer(attribution.attribute(TENANT, at("11:00:00")), CUSTOMER_A, m);
  }

  @Test
  void aMappingMadeOneMicrosecondAfterTheHourMissesThatHour() {
    Mapping m = new Mapping(TENANT, CUSTOMER_A, CLOUD, at("10:00:00.000001"), null, null);
    Attribution attribution = oneRegistration(m);

    assertDefault(attribution.attribute(TENANT, at("10:00:00")), REG_SUB_1, REG_1);
    assertCustomer(attribution.attribute(TENANT, at("11:00:00")), CUSTOMER_A, m);
  }

  @Test
  void aMappingRemovedExactlyOnTheHourNoLongerPaysForThatHour() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "08:00:00", "11:00:00", EndedBy.Removed);
    Attribution attribution = oneRegistration(m);

    assertCustomer(attribution.attribute(TENANT, at("10:00:00")), CUSTOMER_A, m);
    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void aMappingRemovedAtHalfPastStillPaysForTheHourItWasInForceAtTheStartOf() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "08:00:00", "10:30:00", EndedBy.Removed);
    Attribution attribution = oneRegistration(m);

    assertCustomer(attribution.attribute(TENANT, at("10:00:00")), CUSTOMER_A, m);
    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void aMappingMadeAndRemovedWithinOneHourPaysForNoHour() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "10:15:00", "10:45:00", EndedBy.Removed);
    Attribution attribution = oneRegistration(m);

    assertDefault(attribution.attribute(TENANT, at("10:00:00")), REG_SUB_1, REG_1);
    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void aReplacementOnTheHourSwitchesThePayerAtThatHour() {
    Mapping first = mapping(TENANT, CUSTOMER_A, "08:00:00", "10:00:00", EndedBy.Replaced);
    Mapping second = mapping(TENANT, CUSTOMER_B, "10:00:00", null, null);
    Attribution attribution = oneRegistration(first, second);

    assertCustomer(attribution.attribute(TENANT, at("09:00:00")), CUSTOMER_A, first);
    assertCustomer(attribution.attribute(TENANT, at("10:00:00")), CUSTOMER_B, second);
  }

  @Test
  void aReplacementAtHalfPastSwitchesThePayerFromTheNextHour() {
    Mapping first = mapping(TENANT, CUSTOMER_A, "08:00:00", "10:30:00", EndedBy.Replaced);
    Mapping second = mapping(TENANT, CUSTOMER_B, "10:30:00", null, null);
    Attribution attribution = oneRegistration(first, second);

    assertCustomer(attribution.attribute(TENANT, at("10:00:00")), CUSTOMER_A, first);
    assertCustomer(attribution.attribute(TENANT, at("11:00:00")), CUSTOMER_B, second);
  }

  @Test
  void shouldHistoryEverHoldAnOverlapTheNewerMappingWins() {
    Mapping older = mapping(TENANT, CUSTOMER_A, "08:00:00", null, null);
    Mapping newer = mapping(TENANT, CUSTOMER_B, "09:00:00", null, null);
    Attribution attribution = oneRegistration(older, newer);

    assertCustomer(attribution.attribute(TENANT, at("08:00:00")), CUSTOMER_A, older);
    assertCustomer(attribution.attribute(TENANT, at("09:00:00")), CUSTOMER_B, newer);
  }

  @Test
  void aMappingOfOneTenantNeverPaysForAnother() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "08:00:00", null, null);
    Attribution attribution = oneRegistration(m);

    assertDefault(attribution.attribute(OTHER_TENANT, at("10:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void anUnmappedHourIsBilledToTheRegistrationThatHeldTheCloudIdThen() {
    // The deployment was registered under the first registration until 12:00, then re-registered
    // under a second one (another subscription); the second reports everything now.
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1, "06:00:00", "12:00:00"),
        period(REG_2, REG_SUB_2, "12:00:00", null)), List.of()), REG_2, REG_SUB_2);

    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_1, REG_1);
    assertDefault(attribution.attribute(TENANT, at("12:00:00")), REG_SUB_2, REG_2);
  }

  @Test
  void aMappingEndedWithItsRegistrationLeavesLaterHoursToTheNextRegistration() {
    Mapping m = mapping(TENANT, CUSTOMER_A, "07:00:00", "12:00:00", EndedBy.RegistrationDeleted);
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1, "06:00:00", "12:00:00"),
        period(REG_2, REG_SUB_2, "12:00:00", null)), List.of(m)), REG_2, REG_SUB_2);

    Attributed before = attribution.attribute(TENANT, at("11:00:00"));
    assertCustomer(before, CUSTOMER_A, m);
    assertThat(before.registrationId()).as("the registration in force names the hour").isEqualTo(REG_1);
    assertDefault(attribution.attribute(TENANT, at("12:00:00")), REG_SUB_2, REG_2);
  }

  @Test
  void aMappingOnTheSecondRegistrationPaysOnlyForItsHours() {
    Mapping m = mapping(TENANT, CUSTOMER_B, "12:00:00", null, null);
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1, "06:00:00", "12:00:00"),
        period(REG_2, REG_SUB_2, "12:00:00", null)), List.of(m)), REG_2, REG_SUB_2);

    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_1, REG_1);
    Attributed after = attribution.attribute(TENANT, at("12:00:00"));
    assertCustomer(after, CUSTOMER_B, m);
    assertThat(after.registrationId()).isEqualTo(REG_2);
  }

  @Test
  void anHourBeforeTheDeploymentWasRegisteredIsBilledToTheRegistrationReportingIt() {
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1, "06:00:00", "12:00:00"),
        period(REG_2, REG_SUB_2, "12:00:00", null)), List.of()), REG_2, REG_SUB_2);

    assertDefault(attribution.attribute(TENANT, at("05:00:00")), REG_SUB_2, REG_2);
    assertDefault(attribution.attribute(TENANT, at("06:00:00")), REG_SUB_1, REG_1);
  }

  @Test
  void anHourInAGapBetweenRegistrationsIsBilledToTheRegistrationReportingIt() {
    // The first registration was deleted at 10:00 and the deployment registered again at 12:00.
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1, "06:00:00", "10:00:00"),
        period(REG_2, REG_SUB_2, "12:00:00", null)), List.of()), REG_2, REG_SUB_2);

    assertDefault(attribution.attribute(TENANT, at("09:00:00")), REG_SUB_1, REG_1);
    assertDefault(attribution.attribute(TENANT, at("10:00:00")), REG_SUB_2, REG_2);
    assertDefault(attribution.attribute(TENANT, at("11:00:00")), REG_SUB_2, REG_2);
  }

  @Test
  void payersAreNamedInLowerCaseWhateverCaseHistoryHolds() {
    Mapping m = new Mapping(TENANT.toUpperCase(), CUSTOMER_A.toUpperCase(), CLOUD, at("08:00:00"), null, null);
    Attribution attribution = new Attribution(new CloudHistory(CLOUD, List.of(
        period(REG_1, REG_SUB_1.toUpperCase(), "06:00:00", null)), List.of(m)), REG_1, REG_SUB_1.toUpperCase());

    assertThat(attribution.attribute(TENANT, at("09:00:00")).billingSubscriptionId()).isEqualTo(CUSTOMER_A);
    assertThat(attribution.attribute(OTHER_TENANT, at("09:00:00")).billingSubscriptionId()).isEqualTo(REG_SUB_1);
    assertThat(attribution.attribute(OTHER_TENANT, at("05:00:00")).billingSubscriptionId()).isEqualTo(REG_SUB_1);
  }

  @Test
  void attributingAgainGivesTheSameAnswer() {
    Mapping first = mapping(TENANT, CUSTOMER_A, "08:00:00", "10:00:00", EndedBy.Replaced);
    Mapping second = mapping(TENANT, CUSTOMER_B, "10:00:00", null, null);
    CloudHistory history = new CloudHistory(CLOUD, List.of(period(REG_1, REG_SUB_1, "06:00:00", null)),
        List.of(first, second));

    for (String hour : List.of("05:00:00", "07:00:00", "09:00:00", "10:00:00", "23:00:00")) {
      assertThat(new Attribution(history, REG_1, REG_SUB_1).attribute(TENANT, at(hour)))
          .isEqualTo(new Attribution(history, REG_1, REG_SUB_1).attribute(TENANT, at(hour)));
    }
  }
}
