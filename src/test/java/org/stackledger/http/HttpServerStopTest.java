package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the server: a request in flight is let finish, and a client's idle keep-alive connection
 * is not waited for (Jetty's own graceful stop waits until the client closes it).
 */
class HttpServerStopTest {
  private static HttpServer server(Router router) throws Exception {
    Site site = new Site("test", 0, router, (error, exchange) -> Reply.text(error.status(), error.getMessage(), "text/plain"),
        Authenticator.NONE);
    HttpServer server = new HttpServer("127.0.0.1", List.of(site), null, new SimpleMeterRegistry());
    server.start();
    server.ready();
    return server;
  }

  @Test
  void aRequestInFlightFinishesWhileTheServerStops() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server = server(new Router().anonymous("GET", "/slow", exchange -> {
      entered.countDown();
      release.await(10, TimeUnit.SECONDS);
      return Reply.text(200, "done", "text/plain");
    }));
    HttpClient client = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
        HttpRequest.newBuilder(URI.create(server.baseUrl("test") + "slow")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // The stop waits for the request rather than cutting it off.
    Thread.sleep(200);
    assertThat(stopped).isNotDone();
    release.countDown();

    HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("done");
    stopped.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleKeepAliveConnectionDoesNotHoldTheStop() throws Exception {
    HttpServer server = server(new Router().anonymous("GET", "/quick", exchange -> Reply.text(200, "ok", "text/plain")));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl("test") + "quick")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    long started = System.nanoTime();
    server.stop();
    // The client still holds its connection open; the stop does not wait for it (it used to take a
    // second or more, the client's pace, not ours).
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(700));
  }
}
