package org.stackledger.bridge;

import java.io.IOException;
import java.net.URI;

/**
 * Where the bridge uploads a batch of usage records: the cloud's commerce intake,
 * {@code POST {cloudArm}{registrationId}/usage?api-version=2017-06-01}. An interface so that tests can
 * stand a recording endpoint in for the cloud, and a disconnected deployment could write files instead.
 */
@FunctionalInterface
public interface CommerceTarget {
  /** The cloud's answer: its status and body (an ARM error envelope when it refused). */
  record Answer(int status, String body) {}

  /** Posts one batch (UTF-8 JSON) with the bearer token; throws when the cloud cannot be reached. */
  Answer upload(URI url, String bearer, byte[] json) throws IOException;
}
