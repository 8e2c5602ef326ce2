package io.upm.bench;

import io.upm.pricing.Black76;
import io.upm.pricing.OptionSensitivities;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.finmath.functions.AnalyticFormulas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Black-76 price and price-plus-Greeks: UPM's {@link Black76} against finmath-lib's
 * {@link AnalyticFormulas}, one option per invocation, cycling through 512 pre-generated seeded
 * random crypto-style inputs (forward 1k..100k, K/F 0.5..2, one hour to two years, vol 20%..200%,
 * rate -1%..8%, calls and puts).
 *
 * <p>finmath has no Black-76 put or single-pass Greeks: its put is obtained by parity from the call
 * ({@code blackScholesGeneralizedOptionValue(F, sigma, T, K, e^{-rT})}), and its Greeks are the
 * separate Black-Scholes delta/gamma/vega/theta functions evaluated on the forward with zero rate
 * (each recomputing d1), then discounted. It has no vanna or volga, so the finmath Greeks benchmark
 * computes 5 of UPM's 7 outputs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Black76Benchmark {

    private static final int SIZE = 512; // a power of two: the cursor wraps with a mask

    private final boolean[] call = new boolean[SIZE];
    private final double[] forward = new double[SIZE];
    private final double[] strike = new double[SIZE];
    private final double[] expiry = new double[SIZE];
    private final double[] vol = new double[SIZE];
    private final double[] rate = new double[SIZE];
    private final OptionSensitivities out = new OptionSensitivities();
    private int cursor;

    /** Generates the inputs and checks that both libraries agree on them. */
    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(76L);
        for (int i = 0; i < SIZE; i++) {
            call[i] = rnd.nextBoolean();
            forward[i] = Math.exp(rnd.nextDouble(Math.log(1e3), Math.log(1e5)));
            strike[i] = forward[i] * Math.exp(rnd.nextDouble(Math.log(0.5), Math.log(2.0)));
            expiry[i] = Math.exp(rnd.nextDouble(Math.log(1.0 / 8760.0), Math.log(2.0)));
            vol[i] = rnd.nextDouble(0.2, 2.0);
            rate[i] = rnd.nextDouble(-0.01, 0.08);
        }
        for (int i = 0; i < SIZE; i++) {
            double upm = Black76.price(call[i], forward[i], strike[i], expiry[i], vol[i], rate[i]);
            double fm = finmathPrice(i);
            if (Math.abs(upm - fm) > 1e-9 * forward[i]) {
                throw new IllegalStateException("price mismatch at " + i + ": " + upm + " vs " + fm);
            }
            Black76.sensitivities(call[i], forward[i], strike[i], expiry[i], vol[i], rate[i], out);
            double df = Math.exp(-rate[i] * expiry[i]);
            double fmDelta = df * AnalyticFormulas.blackScholesOptionDelta(forward[i], 0.0, vol[i], expiry[i], strike[i])
                    - (call[i] ? 0.0 : df);
            double fmVega = df * AnalyticFormulas.blackScholesOptionVega(forward[i], 0.0, vol[i], expiry[i], strike[i]);
            double fmTheta = df * AnalyticFormulas.blackScholesOptionTheta(forward[i], 0.0, vol[i], expiry[i], strike[i])
                    + rate[i] * upm;
            if (Math.abs(out.delta - fmDelta) > 1e-9 || Math.abs(out.vega - fmVega) > 1e-9 * forward[i]
                    || Math.abs(out.theta - fmTheta) > 1e-9 * forward[i] * (1 + 1 / expiry[i])) {
                throw new IllegalStateException("Greeks mismatch at " + i + ": " + out + " vs delta " + fmDelta
                        + " vega " + fmVega + " theta " + fmTheta);
            }
        }
    }

    private int next() {
        int i = cursor;
        cursor = (i + 1) & (SIZE - 1);
        return i;
    }

    private double finmathPrice(int i) {
        double df = Math.exp(-rate[i] * expiry[i]);
        double c = AnalyticFormulas.blackScholesGeneralizedOptionValue(forward[i], vol[i], expiry[i], strike[i], df);
        return call[i] ? c : c - df * (forward[i] - strike[i]);
    }

    /** UPM discounted price. */
    @Benchmark
    public void upmPrice(Blackhole bh) {
        int i = next();
        bh.consume(Black76.price(call[i], forward[i], strike[i], expiry[i], vol[i], rate[i]));
    }

    /** UPM value, delta, gamma, vega, theta, vanna and volga in one pass. */
    @Benchmark
    public void upmValueAndGreeks(Blackhole bh) {
        int i = next();
        OptionSensitivities o = out;
        Black76.sensitivities(call[i], forward[i], strike[i], expiry[i], vol[i], rate[i], o);
        bh.consume(o.value);
        bh.consume(o.delta);
        bh.consume(o.gamma);
        bh.consume(o.vega);
        bh.consume(o.theta);
        bh.consume(o.vanna);
        bh.consume(o.volga);
    }

    /** finmath discounted price (call formula, put by parity). */
    @Benchmark
    public void finmathPrice(Blackhole bh) {
        bh.consume(finmathPrice(next()));
    }

    /** finmath value, delta, gamma, vega and theta (separate calls, discounted by hand). */
    @Benchmark
    public void finmathValueAndGreeks(Blackhole bh) {
        int i = next();
        double f = forward[i];
        double k = strike[i];
        double t = expiry[i];
        double v = vol[i];
        double r = rate[i];
        double df = Math.exp(-r * t);
        double c = AnalyticFormulas.blackScholesGeneralizedOptionValue(f, v, t, k, df);
        double value = call[i] ? c : c - df * (f - k);
        bh.consume(value);
        bh.consume(df * AnalyticFormulas.blackScholesOptionDelta(f, 0.0, v, t, k) - (call[i] ? 0.0 : df));
        bh.consume(df * AnalyticFormulas.blackScholesOptionGamma(f, 0.0, v, t, k));
        bh.consume(df * AnalyticFormulas.blackScholesOptionVega(f, 0.0, v, t, k));
        bh.consume(df * AnalyticFormulas.blackScholesOptionTheta(f, 0.0, v, t, k) + r * value);
    }
}
