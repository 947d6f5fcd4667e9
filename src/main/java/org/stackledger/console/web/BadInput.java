package org.stackledger.console.web;

/** A choice in the address or a form field the console cannot use: a 400 page naming the field. */
public final class BadInput extends RuntimeException {
  private final String field;

  public BadInput(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
