package dev.litefs.sample.resource;

import dev.litefs.spring.LiteFs;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /resources/{id}}: served from this node's database when it has the resource; on a miss, fetched
 * from the external source, inserted and returned, which only the primary may do. A replica's miss is sent to
 * the primary by {@link LiteFs#requirePrimary()}, so replicas replay only on a miss; the response that caused the
 * insert carries the read-your-writes cookie, so the same client's next read on a replica waits for it.
 */
@RestController
@RequestMapping("/resources")
class ResourceController {

  /** Says where the answer came from: {@code database} (this node's copy) or {@code source} (just fetched). */
  static final String ORIGIN_HEADER = "X-Resource-Origin";

  /** Ids become part of the source's URL: no dots alone, no slashes, nothing to escape. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Resources resources;
  private final ExternalSource source;
  private final LiteFs liteFs;

  ResourceController(Resources resources, ExternalSource source, LiteFs liteFs) {
    this.resources = resources;
    this.source = source;
    this.liteFs = liteFs;
  }

  @GetMapping("/{id}")
  ResponseEntity<Resource> get(@PathVariable String id) {
    if (!ID.matcher(id).matches()) {
      throw new InvalidResourceIdException();
    }
    Optional<Resource> stored = resources.find(id);
    if (stored.isPresent()) {
      return ResponseEntity.ok().header(ORIGIN_HEADER, "database").body(stored.get());
    }
    liteFs.requirePrimary();
    SourceDocument document = source.fetch(id).orElseThrow(() -> new ResourceNotFoundException(id, source.url()));
    return ResponseEntity.ok().header(ORIGIN_HEADER, "source").body(resources.store(document));
  }

  @GetMapping
  List<Resource> latest() {
    return resources.latest();
  }
}
