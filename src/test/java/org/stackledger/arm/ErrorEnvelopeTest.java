package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.SUBSCRIPTIONS;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Every non-2xx answer carries ARM's error envelope and {@code x-ms-error-code}; every answer carries
 * {@code x-ms-request-id} and echoes {@code x-ms-client-request-id}; a missing credential is a 401.
 */
@Tag("storage")
class ErrorEnvelopeTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUnknownRouteIsA404NotFoundInTheEnvelope(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    assertError(server.client().get("/no/such/route?" + RESOURCES), 404, "NotFound");
    assertError(server.client().get("/subscriptions/" + sub + "/nothing?" + RESOURCES), 404, "NotFound");
    assertError(server.client().get("/?" + RESOURCES), 404, "NotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aWrongMethodIsA405MethodNotAllowedInTheEnvelope(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response post = assertError(client.post(groupUrl(sub, "rg1"), "{}"), 405, "MethodNotAllowed");
    assertThat(post.json().path("error").path("message").asText()).contains("PUT").contains("GET");
    assertError(client.delete("/subscriptions/" + sub + "?" + SUBSCRIPTIONS), 405, "MethodNotAllowed");
    assertError(client.send("TRACE", "/subscriptions?" + SUBSCRIPTIONS, null, Map.of()), 405, "MethodNotAllowed");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void errorsOfEveryKindShareTheEnvelopeAndItsHeader(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");

    assertError(client.get(group(sub, "rg1")), 400, "MissingApiVersionParameter");
    assertError(client.get(groupUrl(sub, "missing")), 404, "ResourceGroupNotFound");
    assertError(client.put(groupUrl(sub, "rg1"), "{\"location\":\"eastus\"}"), 409, "InvalidResourceGroupLocation");
    assertError(client.send("PUT", groupUrl(sub, "rg1"), "{\"location\":\"westus\"}",
        Map.of("Content-Type", "application/json", "If-Match", "\"stale\"")), 412, "PreconditionFailed");
    assertError(client.send("PUT", groupUrl(sub, "rg1"), "location=westus",
        Map.of("Content-Type", "application/x-www-form-urlencoded")), 415, "UnsupportedMediaType");
    assertError(client.put(groupUrl(sub, "rg2"), "{\"location\":"), 400, "InvalidRequestContent");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyAnswerCarriesItsOwnRequestId(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    List<TestClient.Response> answers = List.of(
        client.get("/subscriptions/" + sub + "?" + SUBSCRIPTIONS),
        client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}"),
        client.send("HEAD", groupUrl(sub, "rg1"), null, Map.of()),
        client.delete(groupUrl(sub, "rg1")),
        client.delete(groupUrl(sub, "rg1")),  // gone: 404 ResourceGroupNotFound, as ARM answers
        client.get(groupUrl(sub, "rg1")),
        client.get("/nowhere"),
        client.anonymous().get("/subscriptions?" + SUBSCRIPTIONS),
        client.get("/healthz"));
    Set<String> ids = new HashSet<>();
    for (TestClient.Response r : answers) {
      assertThat(r.header("x-ms-request-id")).as("request id of a %d", r.status())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      ids.add(r.header("x-ms-request-id"));
    }
    assertThat(answers).extracting(TestClient.Response::status).containsExactly(200, 201, 204, 200, 404, 404, 404, 401, 200);
    assertThat(ids).hasSameSizeAs(answers);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theClientRequestIdIsEchoedOnSuccessAndOnError(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response ok = client.send("GET", "/subscriptions/" + sub + "?" + SUBSCRIPTIONS, null,
        Map.of("x-ms-client-request-id", "c0ffee-1"));
    TestClient.Response error = client.send("GET", groupUrl(sub, "absent"), null,
        Map.of("x-ms-client-request-id", "c0ffee-2"));
    TestClient.Response none = client.get("/subscriptions/" + sub + "?" + SUBSCRIPTIONS);

    assertThat(ok.header("x-ms-client-request-id")).isEqualTo("c0ffee-1");
    assertThat(error.status()).isEqualTo(404);
    assertThat(error.header("x-ms-client-request-id")).isEqualTo("c0ffee-2");
    assertThat(none.header("x-ms-client-request-id")).isNull();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRequestWithoutAuthorizationIsA401ThatNamesTheAuthority(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();
    String authority = server.app().url(EndpointRole.IDENTITY) + server.app().homeTenantId();

    for (String path : new String[] {"/subscriptions?" + SUBSCRIPTIONS, groupUrl(sub, "rg1")}) {
      TestClient.Response r = assertError(server.client().anonymous().get(path), 401, "AuthenticationFailed");
      assertThat(r.errorTarget()).isEqualTo("Authorization");
      assertThat(r.header("www-authenticate")).startsWith("Bearer ")
          .contains("authorization_uri=\"" + authority + "\"");
    }
    assertError(server.client().anonymous().put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}"), 401,
        "AuthenticationFailed");
    assertError(server.client().get(groupUrl(sub, "rg1")), 404, "ResourceGroupNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMalformedAuthorizationHeaderIsA401InvalidAuthenticationToken(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient anonymous = server.client().anonymous();

    for (String header : new String[] {"Basic dXNlcjpwYXNz", "Bearer", "Bearer two words", "Bearer <script>"}) {
      TestClient.Response r = anonymous.send("GET", "/subscriptions?" + SUBSCRIPTIONS, null, Map.of("Authorization", header));
      assertError(r, 401, "InvalidAuthenticationToken");
      assertThat(r.header("www-authenticate")).as(header).contains(server.app().homeTenantId());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void requestsJettyRefusesBeforeRoutingStillGetTheEnvelopeAndARequestId(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    for (String target : new String[] {
        "/subscriptions/" + sub + "/resourcegroups/a%2Fb?" + RESOURCES,
        "/subscriptions/%zz?" + SUBSCRIPTIONS,
        "/subscriptions/%00?" + SUBSCRIPTIONS}) {
      RawAnswer answer = raw(server, target);
      assertThat(answer.status()).as(target).isEqualTo(400);
      assertThat(answer.head()).as(target).containsIgnoringCase("x-ms-request-id: ")
          .containsIgnoringCase("x-ms-error-code: ").containsIgnoringCase("content-type: application/json");
      assertThat(answer.body()).as(target).startsWith("{\"error\":{\"code\":");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMalformedQueryStringIsA400InTheEnvelopeNotAServerError(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);

    RawAnswer answer = raw(server, "/subscriptions?api-version=%zz");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.head()).containsIgnoringCase("x-ms-request-id: ").containsIgnoringCase("x-ms-error-code: ");
    assertThat(answer.body()).startsWith("{\"error\":{\"code\":").doesNotContain("Exception");
  }

  /** An answer read off a raw socket, for request targets java.net.URI will not send. */
  record RawAnswer(int status, String head, String body) {}

  private static RawAnswer raw(TestServer server, String target) throws IOException {
    SSLContext tls = TestClient.trusting(server.app().certificate());
    URI base = URI.create(server.client().baseUrl());
    try (Socket socket = tls.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getAuthority()
          + "\r\nAuthorization: Bearer test-token\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      return new RawAnswer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
    }
  }
}
