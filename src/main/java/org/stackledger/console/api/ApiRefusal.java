package org.stackledger.console.api;

/**
 * An API's refusal as the console shows it: the HTTP status and the error envelope's code, message and
 * target (ARM's {@code {"error":{…}}} or Partner Center's {@code {"code","description","errorName"}}).
 * Pages catch it to show the code and message; a 404 becomes the console's not-found page.
 */
public final class ApiRefusal extends RuntimeException {
  private final int status;
  private final String code;
  private final String target;
  private final java.util.List<Detail> details;

  /** One of several problems the API listed ({@code error.details}), such as a price sheet's rows. */
  public record Detail(String code, String target, String message) {}

  public ApiRefusal(int status, String code, String message, String target) {
    this(status, code, message, target, java.util.List.of());
  }

  public ApiRefusal(int status, String code, String message, String target, java.util.List<Detail> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.target = target;
    this.details = java.util.List.copyOf(details);
  }

  /** Every problem the API listed, in its order; empty when it gave one only. */
  public java.util.List<Detail> details() {
    return details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The field, parameter or header at fault, or {@code null}. */
  public String target() {
    return target;
  }
}
