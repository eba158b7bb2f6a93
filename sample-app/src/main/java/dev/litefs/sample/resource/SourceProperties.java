package dev.litefs.sample.resource;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where resources come from on a miss ({@code sample.source.*}).
 *
 * @param url base URL of the external source; a resource is fetched with {@code GET <url>/sources/<id>}
 * @param connectTimeout how long to wait for a connection to the source
 * @param readTimeout how long to wait for the source's whole answer
 * @param maxBodySize largest answer accepted from the source
 */
@ConfigurationProperties("sample.source")
public record SourceProperties(@DefaultValue("http://127.0.0.1:8081") URI url,
    @DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
    @DefaultValue("1MB") DataSize maxBodySize) {}
