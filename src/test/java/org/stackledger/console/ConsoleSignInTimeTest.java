package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.identity.MovableClock;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * A console session over time, on a server whose clock the test moves: pages keep working past the
 * first access token's hour (the refresh token, rotated, gets new ones), and an hour without a request
 * ends the session.
 */
class ConsoleSignInTimeTest {
  private static final MovableClock CLOCK = new MovableClock();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withClock(CLOCK));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void pagesOutliveTheFirstAccessTokenAndAnIdleHourSignsOut() throws Exception {
    ConsoleUsers.User operator = ConsoleUsers.operator(server);
    String cookie = ConsoleUsers.signIn(server, operator, "/admin").headers().firstValue("Set-Cookie").orElseThrow()
        .split(";")[0];
    CodeFlow browser = new CodeFlow(server.app().certificate());
    String admin = server.app().url(EndpointRole.CONSOLE) + "admin";
    assertThat(browser.get(admin, cookie).statusCode()).isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      CLOCK.advance(Duration.ofMinutes(50));
      HttpResponse<String> page = browser.get(admin, cookie);
      assertThat(page.statusCode()).as("after %d minutes: %s", 50 * (i + 1), page.body()).isEqualTo(200);
      assertThat(page.body()).contains("Dashboard");
    }

    CLOCK.advance(Duration.ofMinutes(61));
    HttpResponse<String> idle = browser.get(admin, cookie);
    assertThat(idle.statusCode()).isEqualTo(302);
    assertThat(idle.headers().firstValue("Location")).get().asString().contains("/signin?returnTo=");
  }
}
