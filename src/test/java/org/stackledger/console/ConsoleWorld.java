package org.stackledger.console;

import java.time.LocalDate;
import java.time.YearMonth;
import org.stackledger.app.EndpointRole;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.BilledWorld;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The console's tests' world: a {@link BilledWorld} and the people who sign in to its console. A
 * browser signs in with a user name and password, so the operator and the partner sign in as users
 * ({@link ConsoleUsers}): the server's admin user and the world's partner person.
 */
final class ConsoleWorld implements AutoCloseable {
  final BilledWorld billed;
  final TestServer server;
  final SimulatedCloud world;
  final LocalDate day;
  final YearMonth month;
  final ConsoleUsers.User operator;
  final ConsoleUsers.User partner;

  private ConsoleWorld(BilledWorld billed) {
    this.billed = billed;
    this.server = billed.server;
    this.world = billed.world;
    this.day = billed.day;
    this.month = billed.month;
    this.operator = ConsoleUsers.operator(server);
    this.partner = ConsoleUsers.partner(world.partner());
  }

  static ConsoleWorld build() throws Exception {
    BilledWorld billed = BilledWorld.build();
    try {
      return new ConsoleWorld(billed);
    } catch (RuntimeException | Error e) {
      billed.close();
      throw e;
    }
  }

  String console() {
    return server.app().url(EndpointRole.CONSOLE);
  }

  SimulatedCloud.Customer customer(int n) {
    return billed.customer(n);
  }

  /** A client of a role signed in as a customer's owner (password grant), for comparing with the console. */
  TestClient asOwner(SimulatedCloud.Customer c, EndpointRole role, String audience) throws Exception {
    return billed.asOwner(c, role, audience);
  }

  static String audience(EndpointRole role) {
    return BilledWorld.audience(role);
  }

  @Override
  public void close() throws Exception {
    billed.close();
  }
}
