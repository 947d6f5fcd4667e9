package org.stackledger.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.usage.UsageEvent;

/**
 * Usage for user subscriptions that already exist on a running deployment, posted to its HTTPS
 * intake as its resource providers would post it: what {@code stackledger simulate --subscription}
 * does, so that the customer an operator has just onboarded by hand gets billed. Nothing is opened
 * in process and no tenant is made; the caller's token must be the deployment operator's.
 *
 * <p>The deployment's clock, not this machine's, decides how far the usage goes. Before sending, the
 * provider usage API is asked whether the range's hours are over — it refuses a reported window that
 * ends after the deployment's present — and the range is cut at the first hour that is not; every
 * intake answer then carries the reported time the deployment stamped, and no hour is sent that has
 * not ended by it. An hour the intake refuses as starting in the future ends the run. Hours the intake refuses for
 * their usage time before any hour was accepted — usage older than the intake's window — are skipped
 * and counted, so {@code --month} of the current month sends what the intake still takes.
 */
public final class RunningDeployment {
  static final String STAMP_INFO = "/providers/Microsoft.AzureBridge.Admin/stampInfo?api-version=2016-01-01";
  static final String FUTURE = "UsageStartInFuture";

  /**
   * @param stackAdminUrl the deployment's stack admin ARM endpoint
   * @param certificate   the PEM to trust, or {@code null} for the JVM's trust store
   * @param token         the operator's bearer token for that endpoint
   * @param providerSubscriptionId the deployment's Default Provider Subscription, whose usage API tells
   *                      which hours are over there; {@code null} to learn it from the intake's answers only
   */
  public record Target(String stackAdminUrl, Path certificate, Supplier<String> token, String providerSubscriptionId) {}

  /** @param location the resources' region, or {@code null} for the deployment's */
  public record Options(List<String> subscriptions, Instant from, Instant to, long seed, int vmsPerTenant,
      String location) {}

  /**
   * What was sent: the hours of {@code [from, until)} sent, those skipped as too old for the intake,
   * the events and how the intake took them, and the quantities sent by meter name, exact.
   */
  public record Result(Instant from, Instant until, long hours, long hoursTooOld, String tooOldReason,
      long eventsSent, long accepted, long duplicates, Instant deploymentTime, Map<String, BigDecimal> quantities) {}

  private RunningDeployment() {}

  public static Result run(Options o, Target target) throws SimulatedDeployment.Refused, IOException,
      InterruptedException {
    return run(o, target, line -> {});
  }

  /**
   * As {@link #run(Options, Target)}, telling {@code progress} each step as it starts and each hour as it
   * is sent, as lines for a person to watch.
   */
  public static Result run(Options o, Target target, Consumer<String> progress) throws SimulatedDeployment.Refused,
      IOException, InterruptedException {
    if (o.subscriptions().isEmpty()) {
      throw new SimulatedDeployment.Refused("name at least one user subscription (--subscription ID[,ID…])");
    }
    AdminClient admin = new AdminClient(target.certificate(), target.stackAdminUrl(), target.token(), Clock.systemUTC());
    AdminClient.Answer stamp = admin.send("GET", STAMP_INFO, null);
    if (stamp.status() == 401 || stamp.status() == 403) {
      throw new SimulatedDeployment.Refused("the deployment at " + target.stackAdminUrl() + " refused the signed-in "
          + "profile (" + stamp.status() + "); sign in as the operator of this deployment (stackledger login)");
    }
    if (stamp.status() != 200) {
      throw new SimulatedDeployment.Refused("the deployment's stampInfo answered " + stamp.status() + ": "
          + message(stamp));
    }
    String location = o.location() != null ? o.location()
        : stamp.json().path("properties").path("region").asText("local");
    List<Simulation.Tenant> tenants = o.subscriptions().stream()
        .map(s -> new Simulation.Tenant(s.toLowerCase(java.util.Locale.ROOT), location)).toList();
    progress.accept("asking the deployment which hours are over");
    Instant to = target.providerSubscriptionId() == null ? o.to() : endedBy(admin, target.providerSubscriptionId(),
        o.from(), o.to());
    if (!to.isAfter(o.from())) {
      throw new SimulatedDeployment.Refused("no hour of " + o.from() + " to " + o.to() + " has ended on the "
          + "deployment yet; nothing was sent");
    }
    Simulation sim = Simulation.of(o.seed(), tenants, o.from(), to, SimulatedDeployment.sizing(o.vmsPerTenant()));
    MeterCatalogue catalogue = MeterCatalogue.standard();
    Map<String, BigDecimal> quantities = new TreeMap<>();
    long[] counts = new long[3];
    long hours = 0;
    long tooOld = 0;
    String tooOldReason = null;
    Instant deploymentTime = null;
    Instant hour = o.from();
    hours:
    for (; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
      if (deploymentTime != null && hour.plus(Duration.ofHours(1)).isAfter(deploymentTime)) {
        break;
      }
      progress.accept(Simulation.hourLine(hours + tooOld + 1, sim.hourCount(), counts[0]));
      List<UsageEvent> events = sim.hour(hour);
      for (int at = 0; at < events.size(); at += SimulatedDeployment.BATCH) {
        List<UsageEvent> batch = events.subList(at, Math.min(events.size(), at + SimulatedDeployment.BATCH));
        AdminClient.Answer answer = admin.send("POST", SimulatedDeployment.INTAKE,
            new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8));
        if (answer.status() == 200) {
          counts[0] += batch.size();
          counts[1] += answer.json().path("accepted").asLong();
          counts[2] += answer.json().path("duplicates").asLong();
          String reported = answer.json().path("reportedTime").asText("");
          if (!reported.isEmpty()) {
            deploymentTime = Instant.parse(reported);
          }
          continue;
        }
        JsonNode error = error(answer);
        if (answer.status() == 400 && FUTURE.equals(error.path("code").asText())) {
          break hours;
        }
        if (answer.status() == 400 && counts[0] == 0 && usageTime(error.path("target").asText())) {
          tooOld++;
          tooOldReason = message(answer);
          continue hours;
        }
        throw new SimulatedDeployment.Refused("the intake refused the usage of " + hour + " (" + answer.status()
            + "): " + message(answer));
      }
      hours++;
      for (UsageEvent e : events) {
        quantities.merge(catalogue.find(e.meterId()).map(Meter::name).orElse(e.meterId()), e.quantity(), BigDecimal::add);
      }
    }
    if (hours == 0 && tooOld == 0) {
      throw new SimulatedDeployment.Refused("no hour of " + o.from() + " to " + o.to() + " has ended on the deployment "
          + "yet" + (deploymentTime != null ? " (its clock says " + deploymentTime + ")" : "") + "; nothing was sent");
    }
    return new Result(o.from(), hour, hours, tooOld, tooOldReason, counts[0], counts[1], counts[2], deploymentTime,
        quantities);
  }

  /**
   * The end of the last hour of {@code [from, to)} that is over on the deployment: a binary search
   * over the hours, asking the provider usage API for each probed hour's reported window, which it
   * refuses ({@code RequestEndTimeIsInFuture}) while the window has not ended by its clock.
   */
  private static Instant endedBy(AdminClient admin, String provider, Instant from, Instant to)
      throws SimulatedDeployment.Refused, IOException, InterruptedException {
    long lo = 0;
    long hi = Duration.between(from, to).toHours();
    if (ended(admin, provider, to)) {
      return to;
    }
    hi--;
    while (lo < hi) {
      long mid = (lo + hi + 1) / 2;
      if (ended(admin, provider, from.plus(Duration.ofHours(mid)))) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return from.plus(Duration.ofHours(lo));
  }

  /** Whether the hour ending at {@code end} is over on the deployment. */
  private static boolean ended(AdminClient admin, String provider, Instant end)
      throws SimulatedDeployment.Refused, IOException, InterruptedException {
    AdminClient.Answer answer = admin.send("GET", "/subscriptions/" + provider + "/providers/Microsoft.Commerce.Admin/"
        + "subscriberUsageAggregates?api-version=2015-06-01-preview&aggregationGranularity=Hourly&reportedStartTime="
        + end.minus(Duration.ofHours(1)) + "&reportedEndTime=" + end, null);
    if (answer.status() == 200) {
      return true;
    }
    if (answer.status() == 400 && "RequestEndTimeIsInFuture".equals(error(answer).path("code").asText())) {
      return false;
    }
    throw new SimulatedDeployment.Refused("the deployment's usage API answered " + answer.status() + ": "
        + message(answer));
  }

  /** The ARM error of an answer, or a missing node when its body is not one (a proxy's page). */
  private static JsonNode error(AdminClient.Answer answer) {
    try {
      return org.stackledger.http.Json.MAPPER.readTree(answer.body().isEmpty() ? "{}" : answer.body()).path("error");
    } catch (IOException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  /** Whether an error's target is an event's usage time: {@code events[3].usageStartTime}. */
  private static boolean usageTime(String target) {
    return target.endsWith(".usageStartTime") || target.endsWith(".usageEndTime");
  }

  private static String message(AdminClient.Answer answer) {
    JsonNode error = error(answer);
    return error.isMissingNode() ? answer.body()
        : error.path("code").asText() + ": " + error.path("message").asText();
  }
}
