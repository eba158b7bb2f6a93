package dev.litefs.sample.resource;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the resource endpoints' failures as RFC 9457 problem details. Only these exceptions: the starter's
 * {@code NotPrimaryException} (a replica's miss) must reach the starter, which replays the request on the primary.
 */
@RestControllerAdvice(assignableTypes = ResourceController.class)
class ResourceErrors {

  @ExceptionHandler
  ProblemDetail invalidId(InvalidResourceIdException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid resource id", e);
  }

  @ExceptionHandler
  ProblemDetail notFound(ResourceNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Resource not found", e);
  }

  /** 504 when the source was too slow, 502 when it was unreachable or answered badly. */
  @ExceptionHandler
  ProblemDetail sourceUnavailable(SourceUnavailableException e) {
    return e.timedOut() ? problem(HttpStatus.GATEWAY_TIMEOUT, "The source did not answer in time", e)
        : problem(HttpStatus.BAD_GATEWAY, "The source is unavailable", e);
  }

  private static ProblemDetail problem(HttpStatus status, String title, Exception e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setTitle(title);
    return problem;
  }
}
