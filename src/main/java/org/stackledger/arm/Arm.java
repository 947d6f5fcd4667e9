package org.stackledger.arm;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.http.Reply;

/**
 * What every ARM resource type is built from: the stores, the provider catalogue, the body reader,
 * paging and the clock. The composition root makes one and hands it to each feature's routes.
 */
public record Arm(Jdbi jdbi, Clock clock, Subscriptions subscriptions, ResourceStore resources,
    ProviderCatalogue providers, ArmBody body, Paging paging) {

  public static Arm create(Jdbi jdbi, Clock clock, long bodyLimit, int pageSize) {
    return new Arm(jdbi, clock, new Subscriptions(jdbi, clock), new ResourceStore(jdbi, clock),
        new ProviderCatalogue(), new ArmBody(bodyLimit), new Paging(pageSize));
  }

  /** A resource answer with its ETag header. */
  public static Reply resource(int status, ArmResource resource) {
    return Reply.json(status, resource.toJson()).header("ETag", resource.etag());
  }
}
