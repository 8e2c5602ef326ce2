package io.upm.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of the service, with its unit and default, in one place; checked when built ({@link #check()}).
 *
 * @param journal             the engine's journal directory (default {@code upm-data/journal})
 * @param keysFile            the API key file, hashes only (default {@code upm-data/keys.json})
 * @param host                the interface to listen on (default {@code 127.0.0.1})
 * @param port                the HTTP port (default 8080; 0: any free port)
 * @param ratePerSecond       requests per second a key may make, sustained (default 50)
 * @param rateBurst           requests a key may make at once (default 100)
 * @param maxBodyBytes        largest request body, bytes (default 65,536; larger: 413)
 * @param maxCommands         most commands in one {@code POST /v1/commands} (default 1,000)
 * @param maxWhatIfOrders     most orders in one what-if (default 100)
 * @param revalueMillis       least wall time between two valuations of every account after price moves, ms
 *                            (default 1,000; 0: none)
 * @param revalueMaxAccounts  no valuations above this many accounts (default 5,000)
 * @param streamCapacity      events the stream keeps for clients that resume (default 100,000)
 * @param streamQueue         events a slow WebSocket client may fall behind before it is closed (default 10,000)
 * @param requestTimeout      longest wait for the engine (default 10 s; then 503)
 */
public record ServiceConfig(Path journal, Path keysFile, String host, int port, double ratePerSecond, double rateBurst,
                            int maxBodyBytes, int maxCommands, int maxWhatIfOrders, long revalueMillis,
                            int revalueMaxAccounts, int streamCapacity, int streamQueue, Duration requestTimeout) {

    /** The defaults. */
    public static ServiceConfig defaults() {
        return new ServiceConfig(Path.of("upm-data", "journal"), Path.of("upm-data", "keys.json"), "127.0.0.1", 8080,
            50, 100, 65_536, 1_000, 100, 1_000, 5_000, 100_000, 10_000, Duration.ofSeconds(10));
    }

    /** Checks every setting; throws {@link IllegalArgumentException} naming the first bad one. */
    public ServiceConfig check() {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(keysFile, "keysFile");
        Objects.requireNonNull(host, "host");
        require(port >= 0 && port <= 65535, "port", "0..65535", port);
        require(ratePerSecond > 0, "ratePerSecond", "> 0", ratePerSecond);
        require(rateBurst >= 1, "rateBurst", ">= 1", rateBurst);
        require(maxBodyBytes >= 1024, "maxBodyBytes", ">= 1024", maxBodyBytes);
        require(maxCommands >= 1, "maxCommands", ">= 1", maxCommands);
        require(maxWhatIfOrders >= 1, "maxWhatIfOrders", ">= 1", maxWhatIfOrders);
        require(revalueMillis >= 0, "revalueMillis", ">= 0", revalueMillis);
        require(revalueMaxAccounts >= 0, "revalueMaxAccounts", ">= 0", revalueMaxAccounts);
        require(streamCapacity >= 1, "streamCapacity", ">= 1", streamCapacity);
        require(streamQueue >= 1, "streamQueue", ">= 1", streamQueue);
        require(requestTimeout != null && !requestTimeout.isNegative() && !requestTimeout.isZero(), "requestTimeout",
            "> 0", requestTimeout);
        return this;
    }

    private static void require(boolean ok, String name, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": must be " + rule + ", got " + value);
        }
    }

    /** With another journal directory. */
    public ServiceConfig withJournal(Path dir) {
        return new ServiceConfig(dir, keysFile, host, port, ratePerSecond, rateBurst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, revalueMillis, revalueMaxAccounts, streamCapacity, streamQueue, requestTimeout);
    }

    /** With another key file. */
    public ServiceConfig withKeysFile(Path file) {
        return new ServiceConfig(journal, file, host, port, ratePerSecond, rateBurst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, revalueMillis, revalueMaxAccounts, streamCapacity, streamQueue, requestTimeout);
    }

    /** With another port. */
    public ServiceConfig withPort(int p) {
        return new ServiceConfig(journal, keysFile, host, p, ratePerSecond, rateBurst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, revalueMillis, revalueMaxAccounts, streamCapacity, streamQueue, requestTimeout);
    }

    /** With another rate limit. */
    public ServiceConfig withRateLimit(double perSecond, double burst) {
        return new ServiceConfig(journal, keysFile, host, port, perSecond, burst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, revalueMillis, revalueMaxAccounts, streamCapacity, streamQueue, requestTimeout);
    }

    /** With another valuation interval. */
    public ServiceConfig withRevalueMillis(long millis) {
        return new ServiceConfig(journal, keysFile, host, port, ratePerSecond, rateBurst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, millis, revalueMaxAccounts, streamCapacity, streamQueue, requestTimeout);
    }

    /** With another stream memory and client queue. */
    public ServiceConfig withStream(int capacity, int queue) {
        return new ServiceConfig(journal, keysFile, host, port, ratePerSecond, rateBurst, maxBodyBytes, maxCommands,
            maxWhatIfOrders, revalueMillis, revalueMaxAccounts, capacity, queue, requestTimeout);
    }
}
