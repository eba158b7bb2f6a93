package dev.litefs.sample.resource;

import java.net.URI;

/** Neither this database nor the external source has the resource. */
class ResourceNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ResourceNotFoundException(String id, URI source) {
    super("Resource '" + id + "' is not stored here and the source at " + source + " does not have it");
  }
}
