package dev.litefs.sample.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** How the resource endpoint's failures become problem details. */
class ResourceErrorsTests {
  private final ResourceErrors errors = new ResourceErrors();

  @Test
  void aSlowSourceIsAGatewayTimeoutAndAnUnreachableOneABadGateway() {
    assertThat(errors.sourceUnavailable(new SourceUnavailableException("slow", true,
        new HttpTimeoutException("timed out"))).getStatus()).isEqualTo(504);
    assertThat(errors.sourceUnavailable(new SourceUnavailableException("down")).getStatus()).isEqualTo(502);
  }

  @Test
  void notFoundAndInvalidIdsSayWhatHappened() {
    assertThat(errors.notFound(new ResourceNotFoundException("a", URI.create("http://src"))).getDetail())
        .isEqualTo("Resource 'a' is not stored here and the source at http://src does not have it");
    assertThat(errors.invalidId(new InvalidResourceIdException()).getStatus()).isEqualTo(400);
  }
}
