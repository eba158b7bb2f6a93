package dev.litefs.sample.resource;

/** The requested id is not one this application accepts; the message says what is allowed (not what was sent). */
class InvalidResourceIdException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidResourceIdException() {
    super("A resource id is 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit");
  }
}
