package org.stackledger.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.stackledger.problem.Problem;

/**
 * What makes a usage event acceptable. Each problem names the event's index and field, as
 * {@code events[3].quantity}; a batch with any problem is refused whole.
 */
final class EventRules {
  /** How far ahead of the deployment's clock a usage window may start: clocks drift. */
  static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
  /** Quantities above this are a unit mistake, not usage; it also keeps hourly sums far from overflow. */
  static final BigDecimal MAX_QUANTITY = new BigDecimal("1000000000000");
  /** Digits kept after the decimal point (the store's scale). */
  static final int MAX_SCALE = 20;
  static final int MAX_EVENT_ID = 128;
  static final int MAX_RESOURCE_URI = 2048;
  static final int MAX_LOCATION = 128;
  static final int MAX_JSON = 8192;
  /** How many problems one answer lists. */
  static final int MAX_PROBLEMS = 100;

  private final MeterLookup meters;
  private final UsageSubscriptions subscriptions;
  private final Clock clock;
  private final Supplier<Duration> maxUsageAge;

  /** @param maxUsageAge how far back from the clock a usage window may start (the operator's setting) */
  EventRules(MeterLookup meters, UsageSubscriptions subscriptions, Clock clock, Supplier<Duration> maxUsageAge) {
    this.meters = meters;
    this.subscriptions = subscriptions;
    this.clock = clock;
    this.maxUsageAge = maxUsageAge;
  }

  /**
   * Checks the batch and returns it with meter ids and subscription ids in canonical spelling, or
   * throws the 400 listing what is wrong.
   */
  List<UsageEvent> check(List<UsageEvent> batch) {
    Checked checked = checkEvents(batch, true);
    return checked.finish(states(checked));
  }

  /** The states of the checked events' subscriptions, looked up now if {@link Checked#finish} needs them. */
  Map<String, String> states(Checked checked) {
    return checked.needsStates() ? subscriptions.states(checked.subscriptionIds) : Map.of();
  }

  /**
   * The checks of each event on its own; the subscriptions' states are still to be looked up, by the
   * caller, who may do other work meanwhile (the look-up is a round trip to the database).
   *
   * <p>Without {@code scanText} the eventId, resourceUri and location are not scanned for control
   * characters here: the intake's encoder reads every one of their characters anyway and notes one
   * ({@link EventCodec.Buffer#control}), and a batch that has one is checked again with the scan, which
   * then lists it with every other problem of the batch.
   */
  Checked checkEvents(List<UsageEvent> batch, boolean scanText) {
    Instant now = clock.instant();
    Instant latestStart = now.plus(FUTURE_SKEW);
    Duration maxAge = maxUsageAge.get();
    Instant earliestStart = now.minus(maxAge);
    List<Problem> problems = new ArrayList<>();
    List<UsageEvent> out = new ArrayList<>(batch.size());
    // Each checked event's index in the batch: an event with problems is not in out.
    int[] indexes = new int[batch.size()];
    Set<String> subscriptionIds = new HashSet<>();
    for (int i = 0; i < batch.size() && problems.size() < MAX_PROBLEMS; i++) {
      UsageEvent e = batch.get(i);
      String meter = meters.canonicalId(e.meterId());
      // A batch names a few subscriptions many times over: one already checked in this batch, in its
      // canonical spelling, is neither lowered nor checked again.
      boolean checkedBefore = subscriptionIds.contains(e.subscriptionId());
      String subscription = checkedBefore ? e.subscriptionId() : e.subscriptionId().toLowerCase(Locale.ROOT);
      int before = problems.size();
      check(i, e, meter, checkedBefore ? null : subscription, earliestStart, latestStart, maxAge, scanText, problems);
      if (problems.size() == before) {
        indexes[out.size()] = i;
        subscriptionIds.add(subscription);
        out.add(meter.equals(e.meterId()) && subscription.equals(e.subscriptionId()) ? e
            : new UsageEvent(e.eventId(), subscription, meter, e.quantity(), e.usageStartTime(), e.usageEndTime(),
                e.resourceUri(), e.location(), e.tags(), e.additionalInfo()));
      }
    }
    return new Checked(out, indexes, subscriptionIds, problems);
  }

  /** A batch after {@link #checkEvents}: its events in canonical spelling and their problems so far. */
  static final class Checked {
    /** The events without problems, in batch order, and each one's index in the batch. */
    final List<UsageEvent> events;
    private final int[] indexes;
    final Set<String> subscriptionIds;
    private final List<Problem> problems;

    private Checked(List<UsageEvent> events, int[] indexes, Set<String> subscriptionIds, List<Problem> problems) {
      this.events = events;
      this.indexes = indexes;
      this.subscriptionIds = subscriptionIds;
      this.problems = problems;
    }

    /**
     * Whether the subscriptions must be looked up: they are even when other events failed, so that an
     * unknown or deleted subscription is listed among the batch's other problems.
     */
    boolean needsStates() {
      return problems.size() < MAX_PROBLEMS && !subscriptionIds.isEmpty();
    }

    boolean clean() {
      return problems.isEmpty();
    }

    /** The checked events, or the 400 listing every problem, given the subscriptions' states. */
    List<UsageEvent> finish(Map<String, String> states) {
      List<UsageEvent> out = events;
      boolean looked = needsStates();
      for (int k = 0; looked && k < out.size() && problems.size() < MAX_PROBLEMS; k++) {
        int i = indexes[k];
        String id = out.get(k).subscriptionId();
        String state = states.get(id);
        if (state == null) {
          problems.add(problem(i, "subscriptionId", "UnknownSubscription",
              "The subscription '" + id + "' does not exist on this deployment."));
        } else if (state.equalsIgnoreCase("Deleted")) {
          problems.add(problem(i, "subscriptionId", "SubscriptionDeleted",
              "The subscription '" + id + "' is deleted; it takes no new usage."));
        }
      }
      if (!problems.isEmpty()) {
        // In batch order, so that the answer names the first bad event (UsageIntake's contract).
        problems.sort(java.util.Comparator.comparingInt(EventRules::eventIndex));
        throw refusal(problems);
      }
      return out;
    }
  }

  /** @param subscription the subscription id lowered, to check; null for one the batch already checked */
  private static void check(int i, UsageEvent e, String meter, String subscription, Instant earliestStart,
      Instant latestStart, Duration maxAge, boolean scanText, List<Problem> problems) {
    if (e.eventId().isBlank() || e.eventId().length() > MAX_EVENT_ID) {
      problems.add(problem(i, "eventId", "InvalidEventId",
          "The eventId must be 1 to " + MAX_EVENT_ID + " characters, not blank."));
    } else if (scanText && hasControlCharacter(e.eventId())) {
      problems.add(problem(i, "eventId", "InvalidEventId", "The eventId " + NO_CONTROL));
    }
    if (subscription != null && !isGuid(subscription)) {
      problems.add(problem(i, "subscriptionId", "InvalidSubscriptionId",
          "The subscriptionId '" + e.subscriptionId() + "' is not a GUID."));
    }
    if (meter == null) {
      problems.add(problem(i, "meterId", "UnknownMeter",
          "The meter '" + e.meterId() + "' is not in the deployment's meter catalogue."));
    }
    BigDecimal q = e.quantity();
    if (q.signum() < 0) {
      problems.add(problem(i, "quantity", "InvalidQuantity", "The quantity must not be negative."));
    } else if (q.compareTo(MAX_QUANTITY) > 0) {
      problems.add(problem(i, "quantity", "InvalidQuantity", "The quantity must be at most " + MAX_QUANTITY + "."));
    } else if (q.scale() > MAX_SCALE && q.stripTrailingZeros().scale() > MAX_SCALE) {
      problems.add(problem(i, "quantity", "InvalidQuantity",
          "The quantity has more than " + MAX_SCALE + " digits after the decimal point."));
    }
    Instant start = e.usageStartTime();
    Instant end = e.usageEndTime();
    // In epoch seconds, not Instants: this runs for every event, and an Instant made is garbage.
    long hourEnd = Math.floorDiv(start.getEpochSecond(), 3600) * 3600 + 3600;
    if (!end.isAfter(start)) {
      problems.add(problem(i, "usageEndTime", "InvalidUsageWindow", "The usageEndTime must be after the usageStartTime."));
    } else if (end.getEpochSecond() > hourEnd || (end.getEpochSecond() == hourEnd && end.getNano() > 0)) {
      problems.add(problem(i, "usageEndTime", "UsageWindowCrossesHour",
          "The usage window crosses an hour boundary; report each hour's usage as its own event."));
    }
    if (start.isAfter(latestStart)) {
      problems.add(problem(i, "usageStartTime", "UsageStartInFuture",
          "The usageStartTime is more than " + FUTURE_SKEW.toMinutes() + " minutes in the future."));
    } else if (start.isBefore(earliestStart)) {
      // Its own code, so that a resource provider replaying an old backlog can tell it from a typo.
      problems.add(problem(i, "usageStartTime", "UsageTooOld", "The usageStartTime is more than " + maxAge
          + " before the deployment's clock (the maxUsageAge of the usage settings); such usage is not taken."));
    }
    if (e.resourceUri().isBlank() || e.resourceUri().length() > MAX_RESOURCE_URI) {
      problems.add(problem(i, "resourceUri", "InvalidResourceUri",
          "The resourceUri must be 1 to " + MAX_RESOURCE_URI + " characters, not blank."));
    } else if (scanText && hasControlCharacter(e.resourceUri())) {
      problems.add(problem(i, "resourceUri", "InvalidResourceUri", "The resourceUri " + NO_CONTROL));
    }
    if (e.location().isBlank() || e.location().length() > MAX_LOCATION) {
      problems.add(problem(i, "location", "InvalidLocation",
          "The location must be 1 to " + MAX_LOCATION + " characters, not blank."));
    } else if (scanText && hasControlCharacter(e.location())) {
      problems.add(problem(i, "location", "InvalidLocation", "The location " + NO_CONTROL));
    }
    if (e.tags() != null && e.tags().length() > MAX_JSON) {
      problems.add(problem(i, "tags", "InvalidTags", "The tags are over " + MAX_JSON + " characters."));
    }
    if (e.additionalInfo() != null && e.additionalInfo().length() > MAX_JSON) {
      problems.add(problem(i, "additionalInfo", "InvalidAdditionalInfo",
          "The additionalInfo is over " + MAX_JSON + " characters."));
    }
  }

  private static final String NO_CONTROL = "must not hold control characters (U+0000 to U+001F, U+007F to U+009F).";

  /**
   * Whether the text holds a control character. Ids travel on into CSV exports, logs and invoices,
   * where a NUL, a line break or an escape sequence would break the file or fool the reader.
   */
  static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static Problem problem(int index, String field, String code, String message) {
    String target = "events[" + index + "]" + (field == null ? "" : "." + field);
    return Problem.invalid(code, target, target + ": " + message);
  }

  /** The event index of a problem's target, {@code events[3].quantity} → 3. */
  private static int eventIndex(Problem problem) {
    String t = problem.target();
    return Integer.parseInt(t.substring(t.indexOf('[') + 1, t.indexOf(']')));
  }

  /** The answer for a batch with problems: the first one, with all of them as details. */
  static Problem refusal(List<Problem> problems) {
    Problem first = problems.get(0);
    return Problem.of(first.kind(), first.code(), first.target(), first.getMessage()
        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems in details)" : ""))
        .withDetails(problems);
  }

  static boolean isGuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
