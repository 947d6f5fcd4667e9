package org.stackledger.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.stackledger.bench.CommerceRun;
import org.stackledger.bench.IdempotencyRun;
import org.stackledger.bench.IntakeRun;
import org.stackledger.bench.QueryRun;
import org.stackledger.bench.StartupRun;
import org.stackledger.bench.UsedDatabase;
import org.stackledger.bench.YearRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackledger bench intake|query|commerce|idempotency|startup|year}: the benchmarks, each on a throw-away deployment. */
@Command(name = "bench", description = "Benchmarks of the usage intake, the usage APIs and commerce, on a throw-away "
    + "deployment.", subcommands = {BenchCommand.Intake.class, BenchCommand.Query.class, BenchCommand.ConsolePages.class, BenchCommand.CommerceBench.class,
        BenchCommand.Idempotency.class, BenchCommand.Startup.class, BenchCommand.Year.class,
        BenchCommand.Latency.class})
final class BenchCommand extends IdentityCommand.Group {
  /** A benchmark run: its results on {@code out}, its progress to {@code progress}. */
  interface Run {
    void run(PrintWriter out, Consumer<String> progress) throws Exception;
  }

  /**
   * Runs a benchmark, its results on stdout and its progress on stderr (so {@code bench … > results.txt}
   * holds results alone); a database that already holds a store is one line on stderr and exit 1.
   */
  static int refusedIfUsed(picocli.CommandLine.Model.CommandSpec spec, String name, Run run) throws Exception {
    Progress progress = Progress.to(spec.commandLine().getErr());
    String[] last = {null};
    try {
      run.run(spec.commandLine().getOut(), line -> {
        last[0] = line;
        progress.update(line);
      });
      // The last stage's line, kept: in a log, where updates come at most each few seconds, it says the run got to the end.
      progress.done(name + " done" + (last[0] == null ? "" : " (" + last[0] + ")"));
      return 0;
    } catch (UsedDatabase e) {
      progress.clear();
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } catch (Exception | Error e) {
      progress.clear();
      throw e;
    }
  }

  @Command(name = "intake", description = "HTTP batch intake and in-process intake, against a plain batch insert "
      + "of the same rows into the same database engine.")
  static final class Intake implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--events", defaultValue = "1000000", description = "Events a round and path (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--batch", defaultValue = "1000", description = "Events a batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent HTTPS clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--threads", defaultValue = "2", description = "In-process threads, and plain-insert connections (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--subscriptions", defaultValue = "100", description = "User subscriptions (default ${DEFAULT-VALUE}).")
    int subscriptions;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated events (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Put the deployment's usage log on this Kafka "
        + "cluster (as serve --kafka), in topics of a prefix of its own, and measure against the raw producer instead "
        + "of a plain insert.")
    String kafka;

    @Option(names = "--nodes", defaultValue = "1", description = "With --kafka: intake nodes in this process, each "
        + "with its own intake and producer over the same database and topic, batches handed to them in turn "
        + "(default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "With --kafka: Kafka client properties, as "
        + "serve --kafka-config takes them (e.g. compression.type, linger.ms).")
    java.nio.file.Path kafkaConfig;

    @Option(names = "--no-http", description = "Measure the in-process intake and its limit only, not HTTPS.")
    boolean noHttp;

    @Override
    public Integer call() throws Exception {
      if (kafkaConfig != null && kafka == null) {
        spec.commandLine().getErr().println("error: --kafka-config needs --kafka");
        return 2;
      }
      if (nodes < 1 || (nodes > 1 && kafka == null)) {
        spec.commandLine().getErr().println("error: --nodes must be 1, or more with --kafka");
        return 2;
      }
      org.stackledger.kafka.KafkaSettings settings = kafka == null ? null : org.stackledger.kafka.KafkaSettings.of(
          kafka, "bench-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".", kafkaConfig);
      return refusedIfUsed(spec, "bench intake", (out, progress) -> IntakeRun.run(new IntakeRun.Settings(db.url, events,
          batch, clients, threads, subscriptions, rounds, seed, settings, nodes, !noHttp), out, progress));
    }
  }

  @Command(name = "query", description = "Usage API latency over a month of usage: a tenant's 30 days hourly and the "
      + "provider's day daily, first page each.")
  static final class Query implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--events", defaultValue = "10000000", description = "Raw events in the store (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--subscriptions", defaultValue = "500", description = "User subscriptions (default ${DEFAULT-VALUE}).")
    int subscriptions;

    @Option(names = "--days", defaultValue = "30", description = "Days of usage (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--queries", defaultValue = "500", description = "Timed calls of each query (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      return refusedIfUsed(spec, "bench query", (out, progress) -> QueryRun.run(new QueryRun.Settings(db.url, events,
          subscriptions, days, queries, seed), out, progress));
    }
  }

  @Command(name = "console", description = "The web console's page times over a month of usage: a CSP world's "
      + "customers' --events raw events, folded, shipped and invoiced; the operator, the partner and a customer sign "
      + "in as a browser does and each of their pages is fetched --requests times over HTTPS.")
  static final class ConsolePages implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--events", defaultValue = "10000000", description = "Raw events in the store (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--customers", defaultValue = "10", description = "Customers, each mapped, with a user subscription "
        + "(default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--requests", defaultValue = "200", description = "Timed requests of each page (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (customers < 1 || requests < 1 || events < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--events, --customers and --requests must be at least 1");
      }
      return refusedIfUsed(spec, "bench console", (out, progress) -> org.stackledger.bench.ConsoleRun.run(
          new org.stackledger.bench.ConsoleRun.Settings(db.url, events, customers, requests, seed), out, progress));
    }
  }

  @Command(name = "commerce", description = "Attribution, rating and storing of a month of usage records: in process "
      + "(Commerce.ingest) and through the bridge's HTTPS upload, in batches of 5,000, for a CSP world whose mappings "
      + "change during the month.")
  static final class CommerceBench implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--records", defaultValue = "1000000", description = "Records a round and path (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--customers", defaultValue = "50", description = "CSP customers, each with one local subscription "
        + "(default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated records (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (records < 1 || customers < 3 || rounds < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--records and --rounds must be at least 1, --customers at least 3");
      }
      return refusedIfUsed(spec, "bench commerce", (out, progress) -> CommerceRun.run(new CommerceRun.Settings(db.url,
          records, customers, rounds, seed), out, progress));
    }
  }

  @Command(name = "idempotency", description = "The usage intake's idempotency memory after a long history: the "
      + "heap its index holds and the restart time, with the window of usage the intake still takes (and, with "
      + "--unbounded, with the whole history).")
  static final class Idempotency implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", defaultValue = "10000000", description = "Events in the history (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--days", defaultValue = "100", description = "Days the history spans (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--window", defaultValue = "P7D", description = "The maxUsageAge (ISO 8601) the window follows "
        + "(default ${DEFAULT-VALUE}).")
    java.time.Duration window;

    @Option(names = "--batch", defaultValue = "10000", description = "Events a batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--unbounded", description = "Also read the whole history back, as the index did before the window.")
    boolean unbounded;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated keys (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (events < 1 || days < 1 || batch < 1 || window.isNegative() || window.isZero()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--events, --days and --batch must be at least 1, --window positive");
      }
      return refusedIfUsed(spec, "bench idempotency", (out, progress) -> IdempotencyRun.run(new IdempotencyRun.Settings(
          events, days, window, batch, unbounded, seed), out, progress));
    }
  }

  @Command(name = "startup", description = "A restart of a deployment holding --events usage events: the time until "
      + "the usage API answers, and until a batch taken before the restart, sent again, is answered as duplicates.")
  static final class Startup implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--events", defaultValue = "10000000", description = "Events stored before the restart (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--days", defaultValue = "30", description = "Days the stored events span (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--batch", defaultValue = "1000", description = "Events a batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated events (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (events < 1 || days < 1 || batch < 1 || batch > org.stackledger.usage.Usage.MAX_EVENTS) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--events and --days must be at least 1, --batch between 1 and " + org.stackledger.usage.Usage.MAX_EVENTS);
      }
      return refusedIfUsed(spec, "bench startup", (out, progress) -> StartupRun.run(new StartupRun.Settings(db.url, events,
          days, batch, seed), out, progress));
    }
  }

  @Command(name = "year", description = "Months of an operator's usage through intake, aggregation, the bridge, "
      + "commerce and monthly invoices: after each month the events held and the bytes on disk, by table and in all; "
      + "at the end the restart time on the resulting store.")
  static final class Year implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--tenants", defaultValue = "10", description = "Tenants (customers with a user subscription of "
        + "standard size) (default ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--months", defaultValue = "12", description = "Months of usage (default ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated usage (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (tenants < 1 || months < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tenants and --months must be at least 1");
      }
      return refusedIfUsed(spec, "bench year", (out, progress) -> YearRun.run(new YearRun.Settings(db.url, tenants, months,
          seed), out, progress));
    }
  }

  @Command(name = "latency", description = "With the usage log on Kafka: how long after a reported hour closes it is "
      + "folded and visible (the aggregation group's latency), p50 and p99 over --hours hours on a clock the "
      + "benchmark moves.")
  static final class Latency implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Database db;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", required = true, description = "The Kafka cluster the "
        + "deployment's usage log is put on (topics of a prefix of its own).")
    String kafka;

    @Option(names = "--hours", defaultValue = "100", description = "Hours measured (default ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--batches", defaultValue = "20", description = "Batches an hour (default ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--batch", defaultValue = "1000", description = "Events a batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--subscriptions", defaultValue = "100", description = "User subscriptions (default ${DEFAULT-VALUE}).")
    int subscriptions;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated events (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (hours < 1 || batches < 1 || batch < 1 || subscriptions < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--hours, --batches, --batch and --subscriptions must be at least 1");
      }
      org.stackledger.kafka.KafkaSettings settings = new org.stackledger.kafka.KafkaSettings(kafka,
          "bench-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".", java.util.Map.of());
      return refusedIfUsed(spec, "bench latency", (out, progress) -> org.stackledger.bench.LatencyRun.run(
          new org.stackledger.bench.LatencyRun.Settings(db.url, hours, batches, batch, subscriptions, seed, settings),
          out, progress));
    }
  }

  /** The database flag every benchmark takes. */
  static final class Database {
    @Option(names = "--db", description = "A PostgreSQL JDBC URL; default: the embedded store in a temporary folder.")
    String url;
  }
}
