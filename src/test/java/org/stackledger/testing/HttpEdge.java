package org.stackledger.testing;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.stackledger.http.ApiException;
import org.stackledger.problem.Problem;

/**
 * Calls a feature directly and shows its refusal as the HTTP edge would answer it: a test of a
 * service's rule can then assert the status and envelope fields a client sees, without a server.
 */
public final class HttpEdge {
  private HttpEdge() {
  }

  /** The call, with a {@link Problem} it throws turned into the {@link ApiException} the edge renders. */
  public static ThrowingCallable answer(ThrowingCallable call) {
    return () -> {
      try {
        call.call();
      } catch (Problem p) {
        throw ApiException.of(p);
      }
    };
  }
}
