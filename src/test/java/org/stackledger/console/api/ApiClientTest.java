package org.stackledger.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the console reads an API's refusal: whichever envelope it came in, the code and message a page shows. */
class ApiClientTest {
  private static ApiRefusal read(int status, String body) {
    return ApiClient.refusal(status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anArmRefusalKeepsItsCodeMessageTargetAndEveryDetail() {
    ApiRefusal r = read(400, "{\"error\":{\"code\":\"InvalidPriceSheet\",\"message\":\"not imported\",\"target\":\"body\","
        + "\"details\":[{\"code\":\"UnknownMeter\",\"target\":\"row 2 column meterId\",\"message\":\"no such meter\"}]}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("InvalidPriceSheet");
    assertThat(r.getMessage()).isEqualTo("not imported");
    assertThat(r.target()).isEqualTo("body");
    assertThat(r.details()).containsExactly(new ApiRefusal.Detail("UnknownMeter", "row 2 column meterId", "no such meter"));
  }

  @Test
  void aPartnerCenterRefusalIsReadByItsErrorName() {
    ApiRefusal r = read(403, "{\"code\":2103,\"description\":\"not a partner\",\"errorName\":\"PartnerNotFound\","
        + "\"data\":[],\"source\":\"PartnerFD\"}");

    assertThat(r.code()).isEqualTo("PartnerNotFound");
    assertThat(r.getMessage()).isEqualTo("not a partner");
  }

  @Test
  void anAnswerThatIsNoEnvelopeIsNamedByItsStatus() {
    ApiRefusal r = read(502, "<html>bad gateway</html>");

    assertThat(r.code()).isEqualTo("HttpError502");
    assertThat(r.details()).isEmpty();
  }
}
