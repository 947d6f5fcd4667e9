package org.stackledger.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.stackledger.testing.TestClient;

/**
 * Posts token requests from a chosen loopback address ({@code 127.0.0.2}, {@code 127.0.0.3}, …), so
 * one test can play an owner and an attacker at different client addresses. The server listens on
 * {@code 127.0.0.1}; Linux routes the whole {@code 127/8} to the loopback interface, so a socket bound
 * to another loopback address reaches it and the server sees that address as the peer.
 */
final class LoopbackClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final SSLSocketFactory sockets;

  LoopbackClient(String baseUrl, Path certificate, String localAddress) throws IOException {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.sockets = new BoundSockets(TestClient.trusting(certificate).getSocketFactory(), InetAddress.getByName(localAddress));
  }

  TestClient.Response form(String path, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    try {
      HttpsURLConnection c = (HttpsURLConnection) URI.create(baseUrl + path).toURL().openConnection();
      c.setSSLSocketFactory(sockets);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      // A new connection per request: pooled ones would be shared with other local addresses.
      c.setRequestProperty("Connection", "close");
      c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.toString().getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      Map<String, String> headers = new LinkedHashMap<>();
      c.getHeaderFields().forEach((k, v) -> {
        if (k != null) {
          headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
        }
      });
      String text;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      JsonNode json = text.startsWith("{") ? JSON.readTree(text) : null;
      return new TestClient.Response(status, headers, text, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes every TLS socket bound to one local address before it connects. */
  private static final class BoundSockets extends SSLSocketFactory {
    private final SSLSocketFactory tls;
    private final InetAddress local;

    BoundSockets(SSLSocketFactory tls, InetAddress local) {
      this.tls = tls;
      this.local = local;
    }

    @Override
    public Socket createSocket() throws IOException {
      Socket s = tls.createSocket();
      s.bind(new InetSocketAddress(local, 0));
      return s;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return tls.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return tls.createSocket(host, port, local, 0);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return tls.createSocket(host, port, local, 0);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return tls.createSocket(host, port, local, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return tls.createSocket(address, port, local, 0);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return tls.getSupportedCipherSuites();
    }
  }
}
