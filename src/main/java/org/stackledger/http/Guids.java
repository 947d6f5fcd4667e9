package org.stackledger.http;

/**
 * The one definition of a GUID as Azure writes them in ids, paths, tokens and bodies: 8-4-4-4-12
 * hexadecimal digits, either case, no braces. Callers that keep ids in lower case lower-case them
 * themselves; whether a GUID is well-formed never depends on its case.
 */
public final class Guids {
  /** The pattern's text, for a pattern that embeds a GUID (an issuer URL whose first segment is one). */
  public static final String REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  private Guids() {}

  /** Whether the whole text is one GUID; {@code null} is not. */
  public static boolean isGuid(String text) {
    // A loop rather than the regex: ids are checked on every request, and this allocates nothing.
    if (text == null || text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
