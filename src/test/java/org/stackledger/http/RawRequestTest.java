package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.identityadmin.LogCapture;
import org.stackledger.registration.Seed;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * What a client can break at the HTTP level, sent byte by byte over a raw TLS socket: a body that
 * breaks off, a body nobody will read, a request line from before HTTP/1.0, a query that asks two
 * things at once. Each is the client's mistake — a 4xx in the ARM envelope, or a closed connection —
 * never a 500 and never an ERROR in the log. The storage engine plays no part, so H2 only.
 */
class RawRequestTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withCspSubscriptions(PARTNER_CENTER));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** An answer read off a raw socket: status, head and body, or status 0 when the server just closed. */
  record RawAnswer(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private static String token(EndpointRole role) {
    var admin = server.admin();
    String audience = server.app().audiences(role).stream().filter(a -> !a.startsWith("https://127.")).findFirst()
        .orElseThrow();
    return server.token(admin.clientId(), admin.clientSecret(), server.app().homeTenantId(), audience);
  }

  private static Socket open(EndpointRole role) throws IOException {
    SSLContext tls = TestClient.trusting(server.app().certificate());
    URI base = URI.create(server.app().url(role));
    Socket socket = tls.getSocketFactory().createSocket(base.getHost(), base.getPort());
    // An answer that never comes fails the test instead of hanging it.
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String host(EndpointRole role) {
    return URI.create(server.app().url(role)).getAuthority();
  }

  /** Writes the bytes as they are, then reads whatever the server answers until it closes. */
  private static RawAnswer exchange(EndpointRole role, String request) throws IOException {
    try (Socket socket = open(role)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static RawAnswer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (java.net.SocketException e) {
      // A reset after the answer was written: what arrived is the answer.
    }
    String text = all.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return new RawAnswer(0, "", "");
    }
    int split = text.indexOf("\r\n\r\n");
    String head = split < 0 ? text : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + 4);
    return new RawAnswer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
  }

  private static String groupPut(String sub, String name) {
    return "PUT /subscriptions/" + sub + "/resourcegroups/" + name + "?api-version=2025-04-01 HTTP/1.1\r\nHost: "
        + host(EndpointRole.CLOUD_ARM) + "\r\nAuthorization: Bearer " + token(EndpointRole.CLOUD_ARM)
        + "\r\nContent-Type: application/json\r\n";
  }

  private static String intakePost() {
    return "POST /providers/Stackledger.Usage/usageEvents?api-version=2026-11-01 HTTP/1.1\r\nHost: "
        + host(EndpointRole.STACK_ADMIN_ARM) + "\r\nAuthorization: Bearer " + token(EndpointRole.STACK_ADMIN_ARM)
        + "\r\nContent-Type: application/json\r\n";
  }

  private static void assertNoErrorLogged(LogCapture log) {
    assertThat(log.text()).doesNotContain("ERROR").doesNotContain("EofException").doesNotContain("BadMessage");
  }

  @Test
  void aChunkedBodyWithAMalformedChunkSizeIsA400AndNoErrorIsLogged() throws Exception {
    String sub = server.newSubscription();
    try (LogCapture log = new LogCapture()) {
      String chunked = "Transfer-Encoding: chunked\r\n\r\n" + "ZZZ\r\n{\"location\":\"westus\"}\r\n0\r\n\r\n";

      RawAnswer group = exchange(EndpointRole.CLOUD_ARM, groupPut(sub, "rg1") + chunked);
      RawAnswer intake = exchange(EndpointRole.STACK_ADMIN_ARM, intakePost() + chunked);

      for (RawAnswer answer : new RawAnswer[] {group, intake}) {
        assertThat(answer.status()).as(answer.head()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"error\":{\"code\":").doesNotContain("Exception");
        assertThat(answer.header("x-ms-error-code")).isNotEqualTo("InternalServerError");
      }
      assertNoErrorLogged(log);
    }
    assertThat(server.client().get("/subscriptions/" + sub + "/resourcegroups/rg1?api-version=2025-04-01").status())
        .as("a refused upload changes nothing").isEqualTo(404);
  }

  @Test
  void aBrokenBodyOnTheCustomerSubscriptionPutIsA400AndMapsNothing() throws Exception {
    Seed.Registration registration = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant partner = registration.partner();
    String customerSubscription = java.util.UUID.randomUUID().toString();
    String put = "PUT " + registration.customerSubscription(customerSubscription) + " HTTP/1.1\r\nHost: "
        + host(EndpointRole.CLOUD_ARM) + "\r\nAuthorization: Bearer " + server.token(partner.clientId(),
        partner.clientSecret(), partner.tenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE)
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n";
    try (LogCapture log = new LogCapture()) {
      RawAnswer answer = exchange(EndpointRole.CLOUD_ARM, put);

      assertThat(answer.status()).as(answer.head()).isEqualTo(400);
      assertThat(answer.header("x-ms-error-code")).isEqualTo("IncompleteRequestBody");
      assertNoErrorLogged(log);
    }
    assertThat(registration.client().get(registration.customerSubscriptions()).json().path("value")).isEmpty();
  }

  @Test
  void aBodyCutShortIsTheClientsFaultNotAServerError() throws Exception {
    String sub = server.newSubscription();
    try (LogCapture log = new LogCapture()) {
      for (String request : new String[] {
          groupPut(sub, "rg2") + "Content-Length: 200\r\n\r\n{\"location\":",
          groupPut(sub, "rg2") + "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"location\":",
          intakePost() + "Content-Length: 5000\r\n\r\n[{\"eventId\":\"e1\","}) {
        try (Socket socket = open(request.startsWith("POST") ? EndpointRole.STACK_ADMIN_ARM : EndpointRole.CLOUD_ARM)) {
          socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
          socket.getOutputStream().flush();
          // The client goes away mid-upload: the server sees the body end early.
        }
      }
      // Each cut request is logged once it has been answered; none of them as a failure of ours.
      await().atMost(Duration.ofSeconds(20)).until(() -> log.text().lines()
          .filter(l -> l.contains("stackledger.request") && (l.contains("rg2") || l.contains("usageEvents"))).count() >= 3);
      assertThat(log.text().lines().filter(l -> l.contains("stackledger.request")))
          .noneMatch(l -> l.contains("status=500"));
      assertNoErrorLogged(log);
    }
    assertThat(server.client().get("/subscriptions/" + sub + "/resourcegroups/rg2?api-version=2025-04-01").status())
        .isEqualTo(404);
  }

  @Test
  void aRefusedRequestIsAnsweredWithoutWaitingForItsLargeBody() throws Exception {
    String sub = server.newSubscription();
    String unauthenticated = "PUT /subscriptions/" + sub + "/resourcegroups/big?api-version=2025-04-01 HTTP/1.1\r\n"
        + "Host: " + host(EndpointRole.CLOUD_ARM) + "\r\nContent-Type: application/json\r\n";
    for (String framing : new String[] {"Content-Length: 8388608\r\n\r\n", "Transfer-Encoding: chunked\r\n\r\n400\r\n"}) {
      try (Socket socket = open(EndpointRole.CLOUD_ARM)) {
        OutputStream out = socket.getOutputStream();
        // 8 MiB announced (or a chunked body without end), 1 KiB sent: a server that read the body
        // before answering would wait here until the socket timeout fails the test.
        out.write((unauthenticated + framing).getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[1024]);
        out.flush();

        RawAnswer answer = read(socket.getInputStream());

        assertThat(answer.status()).as(framing).isEqualTo(401);
        assertThat(answer.header("Connection")).as(framing).isEqualToIgnoringCase("close");
      }
    }
  }

  @Test
  void aSmallUnreadBodyIsDiscardedAndTheConnectionCarriesTheNextRequest() throws Exception {
    String sub = server.newSubscription();
    String body = "{\"location\":\"westus\"}";
    String unauthenticated = "PUT /subscriptions/" + sub + "/resourcegroups/small?api-version=2025-04-01 HTTP/1.1\r\n"
        + "Host: " + host(EndpointRole.CLOUD_ARM) + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body;
    String next = "GET /subscriptions/" + sub + "/resourcegroups/small?api-version=2025-04-01 HTTP/1.1\r\nHost: "
        + host(EndpointRole.CLOUD_ARM) + "\r\nAuthorization: Bearer " + token(EndpointRole.CLOUD_ARM)
        + "\r\nConnection: close\r\n\r\n";

    RawAnswer both = exchange(EndpointRole.CLOUD_ARM, unauthenticated + next);

    assertThat(both.status()).isEqualTo(401);
    assertThat(both.body()).as("the second answer follows on the same connection")
        .contains("HTTP/1.1 404").contains("ResourceGroupNotFound");
  }

  @Test
  void anHttp09RequestLineIsA400BadRequestNotAServerError() throws Exception {
    for (String request : new String[] {"GET /\r\n\r\n", "GET /subscriptions HTTP/0.9\r\n\r\n",
        "GET /subscriptions HTTP/7.0\r\nHost: x\r\n\r\n"}) {
      RawAnswer answer = exchange(EndpointRole.CLOUD_ARM, request);

      assertThat(answer.status()).as(request).isEqualTo(400);
      assertThat(answer.header("x-ms-error-code")).as(request).isEqualTo("BadRequest");
      assertThat(answer.body()).as(request).startsWith("{\"error\":{\"code\":\"BadRequest\"");
    }
  }

  @Test
  void aQueryParameterRepeatedWithAnotherValueIsA400NamingIt() throws Exception {
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response twice = client.get("/subscriptions/" + sub
        + "/resourcegroups?api-version=2026-11-01&api-version=2015-01-01");
    TestClient.Response anyCase = client.get("/subscriptions/" + sub
        + "/resourcegroups?api-version=2025-04-01&API-VERSION=2015-01-01");
    TestClient.Response same = client.get("/subscriptions/" + sub
        + "/resourcegroups?api-version=2025-04-01&api-version=2025-04-01");

    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.errorCode()).isEqualTo("AmbiguousQueryParameter");
    assertThat(twice.errorTarget()).isEqualTo("api-version");
    assertThat(anyCase.status()).isEqualTo(400);
    assertThat(anyCase.errorTarget().toLowerCase(Locale.ROOT)).isEqualTo("api-version");
    assertThat(same.status()).as("the same value twice asks one thing").isEqualTo(200);
  }
}
