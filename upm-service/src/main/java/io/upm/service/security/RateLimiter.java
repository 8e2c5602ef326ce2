package io.upm.service.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Per-key token buckets: each key may make {@code burst} requests at once and {@code perSecond} a second after that;
 * a request past the limit is refused (HTTP 429) and costs nothing. Lock-free (a compare-and-set on an immutable
 * bucket state per key). Thread-safe.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, AtomicReference<Bucket>> buckets = new ConcurrentHashMap<>();

    private record Bucket(double tokens, long atNanos) {
    }

    /**
     * A limiter.
     *
     * @param perSecond requests a second a key may make, sustained (> 0)
     * @param burst     requests a key may make at once (>= 1)
     * @param nanoClock the clock ({@link System#nanoTime} in the service; a fake one in tests)
     */
    public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("rate limit: perSecond > 0 and burst >= 1, got " + perSecond + ", " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one token of {@code keyId}'s bucket.
     *
     * @return whether the request may go on
     */
    public boolean tryAcquire(String keyId) {
        AtomicReference<Bucket> ref = buckets.computeIfAbsent(keyId,
            k -> new AtomicReference<>(new Bucket(burst, nanoClock.getAsLong())));
        while (true) {
            Bucket b = ref.get();
            long now = nanoClock.getAsLong();
            double tokens = Math.min(burst, b.tokens() + Math.max(0, now - b.atNanos()) * 1e-9 * perSecond);
            if (tokens < 1.0) {
                return false;
            }
            if (ref.compareAndSet(b, new Bucket(tokens - 1.0, now))) {
                return true;
            }
        }
    }

    /** Seconds until {@code keyId} has a token again (for the {@code Retry-After} header), at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1.0 / perSecond));
    }
}
