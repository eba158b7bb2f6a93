package dev.litefs.core.lease;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code lease.consul.url} taken apart as LiteFS does: scheme and host (and port) address the agent, the
 * password of the user info is the ACL token, and the path (without its leading slash) prefixes every key.
 *
 * @param base {@code scheme://host[:port]}, with no user info or path
 * @param token the ACL token, if the URL has a password
 * @param keyPrefix the key prefix, empty if the URL has no path
 */
record ConsulUrl(URI base, Optional<String> token, String keyPrefix) {
  static ConsulUrl parse(URI url) {
    URI base = URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(userInfoEnd(url)));
    return new ConsulUrl(base, token(url), join(url.getPath() == null ? "" : url.getPath()));
  }

  /** The catalog node shared by the cluster's sessions: {@code <prefix>/litefs}, or empty without a prefix. */
  String nodeName() {
    return keyPrefix.isEmpty() ? "" : join(keyPrefix, "litefs");
  }

  /** A key under the prefix. */
  String key(String key) {
    return join(keyPrefix, key);
  }

  // Like Go's path.Join for the keys LiteFS builds: empty segments (and so doubled or edge slashes) vanish.
  static String join(String... parts) {
    return Arrays.stream(String.join("/", parts).split("/")).filter(s -> !s.isEmpty())
        .collect(Collectors.joining("/"));
  }

  private static int userInfoEnd(URI url) {
    return url.getRawUserInfo() == null ? 0 : url.getRawUserInfo().length() + 1;
  }

  private static Optional<String> token(URI url) {
    String userInfo = url.getRawUserInfo();
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    // A '+' in a URL's user info is a plus, not a space as in a form: keep it through the decoder.
    String token = URLDecoder.decode(userInfo.substring(colon + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
