package io.flywheel.collect.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tracking API's own listener, for high volumes of events (docs/benchmarks.md): the same calls
 * as {@code /v1/} on the main port, on a port of their own, served by an event loop instead of a
 * thread per request. Off unless a port is set; {@code 0} picks a free port.
 *
 * @param port the port, or none to leave the listener off
 * @param address the address to listen on (default: every interface, as the main port)
 * @param threads event-loop threads; one keeps up with tens of thousands of requests a second
 * @param idleTimeout a connection with nothing to read or write for this long is closed
 * @param maxConnections connections open at once beyond which new ones are closed at once
 */
@ConfigurationProperties("flywheel.collect.listener")
public record TrackingListenerProperties(
        Integer port,
        String address,
        @DefaultValue("1") int threads,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("10000") int maxConnections) {
}
