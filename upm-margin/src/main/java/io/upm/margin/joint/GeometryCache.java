package io.upm.margin.joint;

import java.util.Arrays;

/**
 * A bounded cache of {@link JointLossGeometry} by content: the key is the correlation matrix itself (with the
 * grid's steps and the direction count), so a geometry can never be used for a matrix it was not built for,
 * and nothing needs invalidating when a market's correlations change: entries of old matrices simply age out.
 *
 * <p>Set-associative: {@code capacity / 4} sets of 4 ways; a lookup hashes the matrix, compares at most 4
 * entries element by element, and on a miss builds the geometry and replaces the least recently used way of
 * its set. Memory is bounded by the capacity; a miss costs one geometry build and never a mass eviction, so a
 * long run of ever-new matrices causes no stall beyond one build per new matrix.
 *
 * <p>Owned by one thread (the writer that owns the calculator using it); not thread-safe. A hit allocates
 * nothing.
 */
public final class GeometryCache {
    private static final int WAYS = 4;

    private final int sets;
    private final long[] hashes;
    private final int[] sizes;
    private final int[] steps;
    private final int[] directions;
    private final double[][] contents;
    private final JointLossGeometry[] geometries;
    private final long[] lastUse;
    private long clock;
    private long builds;
    private long hits;

    /**
     * A cache of at most {@code capacity} geometries (rounded up to a multiple of 4).
     *
     * @param capacity the largest number of geometries kept, at least 4
     */
    public GeometryCache(int capacity) {
        if (capacity < WAYS) {
            throw new IllegalArgumentException("geometry cache capacity must be at least " + WAYS + ": " + capacity);
        }
        this.sets = (capacity + WAYS - 1) / WAYS;
        int slots = sets * WAYS;
        hashes = new long[slots];
        sizes = new int[slots];
        steps = new int[slots];
        directions = new int[slots];
        contents = new double[slots][];
        geometries = new JointLossGeometry[slots];
        lastUse = new long[slots];
    }

    /**
     * The geometry of a matrix, built on a miss.
     *
     * @param n              units (2 to {@link JointLossGeometry#MAX_UNITS})
     * @param q              the matrix, n x n row-major (read, not kept: a copy is stored on a miss)
     * @param gridSteps      price steps on each side of the grid
     * @param directionCount surface directions (0 for the default)
     */
    public JointLossGeometry get(int n, double[] q, int gridSteps, int directionCount) {
        long h = hash(n, q, gridSteps, directionCount);
        int set = (int) Long.remainderUnsigned(h, sets);
        int base = set * WAYS;
        clock++;
        int victim = base;
        for (int w = base; w < base + WAYS; w++) {
            if (geometries[w] != null && hashes[w] == h && sizes[w] == n && steps[w] == gridSteps
                && directions[w] == directionCount && same(contents[w], q, n)) {
                lastUse[w] = clock;
                hits++;
                return geometries[w];
            }
            if (geometries[w] == null || (geometries[victim] != null && lastUse[w] < lastUse[victim])) {
                victim = w;
            }
        }
        double[][] rows = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(q, r * n, rows[r], 0, n);
        }
        JointLossGeometry g = JointLossGeometry.of(rows, gridSteps, directionCount);
        builds++;
        hashes[victim] = h;
        sizes[victim] = n;
        steps[victim] = gridSteps;
        directions[victim] = directionCount;
        contents[victim] = Arrays.copyOf(q, n * n);
        geometries[victim] = g;
        lastUse[victim] = clock;
        return g;
    }

    /** The cached geometry of a matrix, or null (never builds; counts as neither hit nor build). */
    public JointLossGeometry peek(int n, double[] q, int gridSteps, int directionCount) {
        long h = hash(n, q, gridSteps, directionCount);
        int base = (int) Long.remainderUnsigned(h, sets) * WAYS;
        for (int w = base; w < base + WAYS; w++) {
            if (geometries[w] != null && hashes[w] == h && sizes[w] == n && steps[w] == gridSteps
                && directions[w] == directionCount && same(contents[w], q, n)) {
                return geometries[w];
            }
        }
        return null;
    }

    private static boolean same(double[] stored, double[] q, int n) {
        for (int k = 0; k < n * n; k++) {
            if (Double.doubleToLongBits(stored[k]) != Double.doubleToLongBits(q[k])) {
                return false;
            }
        }
        return true;
    }

    private static long hash(int n, double[] q, int gridSteps, int directionCount) {
        long h = 0x9E3779B97F4A7C15L ^ n ^ ((long) gridSteps << 8) ^ ((long) directionCount << 20);
        for (int k = 0; k < n * n; k++) {
            h = (h ^ Double.doubleToLongBits(q[k])) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    /** Geometries built so far (misses). */
    public long builds() {
        return builds;
    }

    /** Lookups answered from the cache. */
    public long hits() {
        return hits;
    }

    /** Geometries held now (at most the capacity). */
    public int size() {
        int s = 0;
        for (JointLossGeometry g : geometries) {
            s += g == null ? 0 : 1;
        }
        return s;
    }

    /** The largest number of geometries held. */
    public int capacity() {
        return sets * WAYS;
    }
}
