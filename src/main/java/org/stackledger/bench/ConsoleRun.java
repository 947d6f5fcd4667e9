package org.stackledger.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stackledger.app.EndpointRole;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.usage.UsageIntake;

/**
 * {@code stackledger bench console}: the web console's page times over a store of many usage events.
 * A throw-away server holds a CSP world ({@link SimulatedCloud}: a partner, customers mapped on the
 * deployment's registration, all but the last) and a month of their usage ({@code --events} raw events, the same
 * resources every hour), folded, shipped through the bridge and invoiced. Then the operator, the
 * partner and one customer sign in to the console as a browser does — the authorization-code flow
 * through the identity endpoint's sign-in page — and each of their pages is fetched over HTTPS
 * {@code --requests} times; the time from sending the request to the last byte of the page is the
 * page's time.
 */
public final class ConsoleRun {
  /** What to run. */
  public record Settings(String jdbcUrl, long events, int customers, int requests, long seed) {}

  /** The month of usage: a whole one, so its invoices can be final. */
  static final YearMonth MONTH = YearMonth.of(2026, 11);

  private ConsoleRun() {}

  /** Runs the benchmark: results on {@code out}, each stage to {@code progress}. */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    Instant start = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant end = MONTH.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    SettableClock clock = new SettableClock(start.minus(1, ChronoUnit.DAYS));
    progress.accept("starting a throw-away deployment");
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), clock)) {
      String operatorPassword = d.app.generatedAdminUser().orElseThrow(
          () -> new IllegalStateException("the deployment did not make its admin user")).clientSecret();
      SimulatedCloud world = d.world(s.customers(), "console-" + s.seed(), clock, progress);
      // Every customer but the last is mapped: the last one's usage is billed to the registration
      // subscription, the partner's own invoice.
      for (SimulatedCloud.Customer c : world.customers().subList(0, Math.max(1, world.customers().size() - 1))) {
        world.map(c);
      }
      long[] sent = fill(d, world, s, clock, start, end, progress);
      Set<String> payers = new TreeSet<>();
      payers.add(world.registration().subscriptionId());
      world.customers().forEach(c -> payers.add(c.cspSubscriptionId()));
      progress.accept("finalizing the month's invoices");
      for (String payer : payers) {
        d.app.commerce().finalizeWithoutCaller(payer, MONTH.toString(), "bench");
      }
      out.printf("engine %s, %s: %,d raw events of %d customers over %s (%,d an hour), ingested in %.1f s, folded "
          + "and shipped in %.1f s%n", d.app.database().engine(), Runtime.version(), sent[0], s.customers(), MONTH,
          sent[0] / (24L * MONTH.lengthOfMonth()), sent[1] / 1e9, sent[2] / 1e9);

      String console = d.app.url(EndpointRole.CONSOLE).replaceAll("/$", "");
      SimulatedCloud.Customer customer = world.customers().get(0);
      String month = MONTH.toString();
      String from = MONTH.atDay(1).toString();
      String to = MONTH.plusMonths(1).atDay(1).toString();
      Map<String, String> pages = new LinkedHashMap<>();
      Visitor operator = Visitor.signIn(d.http, console, null, d.app.adminUser(), operatorPassword);
      Visitor partner = Visitor.signIn(d.http, console, world.partner().domain(), world.partner().adminUpn(),
          world.partner().adminPassword());
      Visitor owner = Visitor.signIn(d.http, console, customer.domain(), customer.ownerUpn(), customer.ownerPassword());
      out.printf("%-58s %9s %9s %9s %9s %9s%n", "page", "p50 ms", "p95 ms", "p99 ms", "max ms", "KB");
      List<Timed> all = new ArrayList<>();
      all.add(time(operator, "/admin", s.requests(), progress));
      all.add(time(operator, "/admin/tenants", s.requests(), progress));
      all.add(time(operator, "/admin/usage?from=" + from + "&to=" + to + "&granularity=Daily", s.requests(), progress));
      all.add(time(operator, "/admin/usage?subscription=" + customer.localSubscriptionId() + "&from=" + from + "&to="
          + MONTH.atDay(8) + "&granularity=Hourly", s.requests(), progress));
      all.add(time(operator, "/admin/prices", s.requests(), progress));
      all.add(time(operator, "/admin/chargeback?month=" + month, s.requests(), progress));
      all.add(time(partner, "/partner", s.requests(), progress));
      all.add(time(partner, "/partner/registration?id=" + enc(world.registration().id()), s.requests(), progress));
      all.add(time(partner, "/partner/invoices?month=" + month, s.requests(), progress));
      // The partner's own invoice, then a customer's: that adds Partner Center's look-up of the customer and
      // a token of the customer's directory (the refresh token redeemed there).
      all.add(time(partner, "/partner/invoices/" + world.registration().subscriptionId() + "/" + month, s.requests(),
          progress));
      all.add(time(partner, "/partner/invoices/" + customer.cspSubscriptionId() + "/" + month, s.requests(), progress));
      all.add(time(partner, "/partner/invoices/" + customer.cspSubscriptionId() + "/" + month + "/lines/1",
          s.requests(), progress));
      all.add(time(owner, "/", s.requests(), progress));
      all.add(time(owner, "/usage?subscription=" + customer.localSubscriptionId() + "&from=" + from + "&to=" + to
          + "&granularity=Daily", s.requests(), progress));
      all.add(time(owner, "/invoices", s.requests(), progress));
      all.add(time(owner, "/invoices/" + customer.cspSubscriptionId() + "/" + month, s.requests(), progress));
      all.add(time(owner, "/invoices/" + customer.cspSubscriptionId() + "/" + month + "/lines/1", s.requests(), progress));
      double worst = 0;
      for (Timed t : all) {
        out.printf("%-58s %9.1f %9.1f %9.1f %9.1f %9.1f%n", t.page().length() > 58 ? t.page().substring(0, 55) + "..."
            : t.page(), t.percentile(50), t.percentile(95), t.percentile(99), t.percentile(100), t.bytes() / 1024.0);
        worst = Math.max(worst, t.percentile(99));
      }
      out.printf("slowest page p99: %.1f ms over %d pages, %d requests each%n", worst, all.size(), s.requests());
      out.flush();
    }
  }

  /**
   * A month of the customers' usage through the in-process intake, an hour at a time on the moved
   * clock; each day's closed hours folded and shipped. Answers the events sent, and the nanoseconds
   * spent ingesting and folding-and-shipping.
   */
  private static long[] fill(BenchDeployment d, SimulatedCloud world, Settings s, SettableClock clock, Instant start,
      Instant end, Consumer<String> progress) throws Exception {
    List<String> subs = world.customers().stream().map(SimulatedCloud.Customer::localSubscriptionId).toList();
    List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
    long hours = ChronoUnit.HOURS.between(start, end);
    int perHour = (int) Math.max(1, s.events() / hours);
    UsageIntake intake = d.app.usage().intake();
    Random random = new Random(s.seed());
    long sent = 0;
    long ingest = 0;
    long ship = 0;
    for (int h = 0; h < hours; h++) {
      Instant hour = start.plus(h, ChronoUnit.HOURS);
      progress.accept(String.format("filling %s: hour %d of %d, %,d events sent", MONTH, h + 1, hours, sent));
      clock.set(hour.plus(62, ChronoUnit.MINUTES));
      long t0 = System.nanoTime();
      sent += QueryRun.sendHour(intake, s.seed(), h, hour, perHour, subs, meters, random);
      long t1 = System.nanoTime();
      ingest += t1 - t0;
      if (hour.atOffset(ZoneOffset.UTC).getHour() == 23) {
        // A server folds every minute and ships every hour; a day's worth at once here.
        d.app.usage().aggregator().foldClosed();
        d.app.bridge().ship();
        ship += System.nanoTime() - t1;
      }
    }
    progress.accept("shipping the rest of the month");
    clock.set(end.plus(2, ChronoUnit.HOURS));
    long t = System.nanoTime();
    d.app.usage().aggregator().foldClosed();
    for (int i = 0; i < 50 && d.app.bridge().ship().pendingHours() > 0; i++) {
      // Each pass ships what is due.
    }
    ship += System.nanoTime() - t;
    return new long[] {sent, ingest, ship};
  }

  /** One page's times in milliseconds and its size. */
  record Timed(String page, double[] millis, long bytes) {
    double percentile(double p) {
      return QueryRun.percentileOf(millis, p);
    }
  }

  private static Timed time(Visitor who, String page, int requests, Consumer<String> progress) throws Exception {
    int warm = Math.max(5, requests / 10);
    double[] millis = new double[requests];
    long bytes = 0;
    for (int i = -warm; i < requests; i++) {
      progress.accept(String.format("timing %s: request %,d of %,d", page, Math.max(0, i + 1), requests));
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = who.get(page);
      double ms = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        throw new IllegalStateException(page + " answered " + r.statusCode() + ": "
            + body.substring(0, Math.min(2000, body.length())));
      }
      if (i >= 0) {
        millis[i] = ms;
        bytes = r.body().length;
      }
    }
    return new Timed(page, millis, bytes);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * A browser without a browser: a session cookie got by signing in to the console through the
   * identity endpoint's sign-in page (redirects followed by hand, the page's form filled and posted).
   */
  static final class Visitor {
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*\\baction=\"([^\"]*)\"[^>]*>(.*?)</form>",
        Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b(name|value|id|type)=\"([^\"]*)\"",
        Pattern.CASE_INSENSITIVE);

    private final HttpClient http;
    private final String console;
    private final String cookie;

    private Visitor(HttpClient http, String console, String cookie) {
      this.http = http;
      this.console = console;
      this.cookie = cookie;
    }

    HttpResponse<byte[]> get(String page) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(console + page)).header("Cookie", cookie).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Signs in at {@code tenant} (null: the home directory) with a user name and password. */
    static Visitor signIn(HttpClient http, String console, String tenant, String user, String password)
        throws Exception {
      Map<String, String> cookies = new LinkedHashMap<>();
      URI at = URI.create(console + "/signin" + (tenant == null ? "" : "?tenant=" + enc(tenant)));
      HttpResponse<String> r = send(http, HttpRequest.newBuilder(at).GET(), cookies);
      for (int hops = 0; r.statusCode() / 100 == 3 && hops < 10; hops++) {
        at = at.resolve(r.headers().firstValue("Location").orElseThrow());
        r = send(http, HttpRequest.newBuilder(at).GET(), cookies);
      }
      Matcher form = FORM.matcher(r.body());
      if (r.statusCode() != 200 || !form.find()) {
        throw new IllegalStateException("no sign-in form at " + at + " (" + r.statusCode() + ")");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      Matcher input = INPUT.matcher(form.group(2));
      while (input.find()) {
        Map<String, String> a = new LinkedHashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(input.group(1));
        while (attribute.find()) {
          a.put(attribute.group(1).toLowerCase(java.util.Locale.ROOT), unescape(attribute.group(2)));
        }
        if (a.containsKey("name")) {
          String id = a.getOrDefault("id", "");
          fields.put(a.get("name"), id.equals("username") ? user : id.equals("password") ? password
              : a.getOrDefault("value", ""));
        }
      }
      StringBuilder body = new StringBuilder();
      fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
      at = at.resolve(unescape(form.group(1)));
      r = send(http, HttpRequest.newBuilder(at).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())), cookies);
      for (int hops = 0; r.statusCode() / 100 == 3 && hops < 10; hops++) {
        at = at.resolve(r.headers().firstValue("Location").orElseThrow());
        r = send(http, HttpRequest.newBuilder(at).GET(), cookies);
      }
      if (r.statusCode() != 200 || !at.toString().startsWith(console)) {
        throw new IllegalStateException(user + " did not reach the console after signing in: " + at + " answered "
            + r.statusCode());
      }
      return new Visitor(http, console, cookieHeader(cookies));
    }

    /** Sends with the cookies held, and keeps the ones the answer sets (one jar for every host: all loopback). */
    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, Map<String, String> cookies)
        throws Exception {
      if (!cookies.isEmpty()) {
        request.header("Cookie", cookieHeader(cookies));
      }
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : r.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        int eq = pair.indexOf('=');
        if (eq > 0) {
          cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
      return r;
    }

    private static String cookieHeader(Map<String, String> cookies) {
      StringBuilder header = new StringBuilder();
      cookies.forEach((k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
      return header.toString();
    }

    private static String unescape(String html) {
      return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<")
          .replace("&gt;", ">").replace("&#x2F;", "/").replace("&#47;", "/").replace("&amp;", "&");
    }
  }
}
