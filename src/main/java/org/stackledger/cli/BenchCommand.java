package org.stackledger.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.stackledger.bench.IntakeRun;
import org.stackledger.bench.QueryRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackledger bench intake|query}: the usage benchmarks, each on a throw-away deployment. */
@Command(name = "bench", description = "Benchmarks of the usage intake and the usage APIs, on a throw-away deployment.",
    subcommands = {BenchCommand.Intake.class, BenchCommand.Query.class})
final class BenchCommand extends IdentityCommand.Group {
  @Command(name = "intake", description = "HTTP batch intake and in-process intake, against a plain batch insert "
      + "of the same rows into the same database engine.")
  static final class Intake implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", description = "A PostgreSQL JDBC URL; default: the embedded store in a temporary folder.")
    String db;

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

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      IntakeRun.run(new IntakeRun.Settings(db, events, batch, clients, threads, subscriptions, rounds, seed), out);
      return 0;
    }
  }

  @Command(name = "query", description = "Usage API latency over a month of usage: a tenant's 30 days hourly and the "
      + "provider's day daily, first page each.")
  static final class Query implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", description = "A PostgreSQL JDBC URL; default: the embedded store in a temporary folder.")
    String db;

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
      PrintWriter out = spec.commandLine().getOut();
      QueryRun.run(new QueryRun.Settings(db, events, subscriptions, days, queries, seed), out);
      return 0;
    }
  }
}
