package io.upm.backtest.vol;

import java.util.Arrays;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * A GARCH(1,1) model of daily log returns with zero mean and Gaussian innovations:
 * {@code r_t = sigma_t e_t}, {@code sigma_t^2 = omega + alpha r_{t-1}^2 + beta sigma_{t-1}^2}
 * (Bollerslev, 1986), fitted by maximum likelihood, with one-step and h-step variance forecasts.
 *
 * <p>Fit: the Gaussian log-likelihood of the valid (non-{@code NaN}) returns, the first variance set to their
 * sample variance about zero ("backcast"), is maximised with commons-math3's bounded BOBYQA over the
 * reparameterisation {@code (ln(V_L / s^2), p, a)} with long-run variance {@code V_L = omega / (1 - p)},
 * persistence {@code p = alpha + beta} in {@code [0, }{@link #MAX_PERSISTENCE}{@code ]} and
 * {@code a = alpha / p} in {@code [0, 1]}: every point of the box is a stationary model with
 * {@code omega > 0, alpha >= 0, beta >= 0, alpha + beta < 1}. Two starting points (p = 0.90 and 0.98) are
 * tried and the better optimum kept.
 *
 * <p>Units: returns are fractions per day, variances fractions squared per day. Immutable and thread-safe;
 * {@link #fit} allocates a copy of the valid returns, {@link #next}, {@link #forecast} and
 * {@link #horizonVariance} allocate nothing.
 *
 * @see io.upm.backtest.vol the series convention ({@code v[i]} forecasts {@code r[i]} from earlier returns)
 */
public final class GarchVolatility {
    /** The largest persistence alpha + beta a fit may reach: the stationarity margin. */
    public static final double MAX_PERSISTENCE = 0.9999;
    /** The fewest valid returns {@link #fit} accepts. */
    public static final int MIN_OBSERVATIONS = 50;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Parameters parameters;

    /** A model with the given parameters. */
    public GarchVolatility(Parameters parameters) {
        this.parameters = parameters;
    }

    /** The model's parameters. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The parameters of a stationary GARCH(1,1).
     *
     * @param omega constant term, daily variance (fraction squared per day), &gt; 0
     * @param alpha weight of yesterday's squared return, &gt;= 0
     * @param beta  weight of yesterday's variance, &gt;= 0, with {@code alpha + beta < 1}
     */
    public record Parameters(double omega, double alpha, double beta) {
        /** Checks stationarity and signs. */
        public Parameters {
            if (!(omega > 0) || !(alpha >= 0) || !(beta >= 0) || !(alpha + beta < 1) || Double.isInfinite(omega)) {
                throw new IllegalArgumentException("not a stationary GARCH(1,1): omega " + omega + ", alpha " + alpha
                    + ", beta " + beta);
            }
        }

        /** Persistence {@code alpha + beta}: the per-day decay of a variance shock. */
        public double persistence() {
            return alpha + beta;
        }

        /** The unconditional (long-run) daily variance {@code omega / (1 - alpha - beta)}. */
        public double longRunVariance() {
            return omega / (1.0 - alpha - beta);
        }
    }

    /**
     * The result of a maximum-likelihood fit.
     *
     * @param parameters      the estimates
     * @param logLikelihood   the Gaussian log-likelihood at the estimates
     * @param observations    the number of valid returns fitted
     * @param initialVariance the variance assumed for the first return (their sample variance about zero)
     * @param evaluations     likelihood evaluations used by the optimiser
     */
    public record Fit(Parameters parameters, double logLikelihood, int observations, double initialVariance,
                      int evaluations) {
        /** The fitted model. */
        public GarchVolatility model() {
            return new GarchVolatility(parameters);
        }
    }

    /** Fits the model to all valid returns of {@code returns}. */
    public static Fit fit(double[] returns) {
        return fit(returns, 0, returns.length);
    }

    /**
     * Fits the model by maximum likelihood to the valid returns of {@code returns[from..to-1]}.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_OBSERVATIONS} valid returns or with zero
     *                                  sample variance
     */
    public static Fit fit(double[] returns, int from, int to) {
        double[] x = new double[Math.max(0, to - from)];
        int m = 0;
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            double r = returns[i];
            if (!Double.isNaN(r)) {
                x[m++] = r;
                sum += r * r;
            }
        }
        if (m < MIN_OBSERVATIONS) {
            throw new IllegalArgumentException("GARCH fit needs at least " + MIN_OBSERVATIONS + " returns, got " + m);
        }
        double[] data = Arrays.copyOf(x, m);
        double s2 = sum / m;
        if (!(s2 > 0)) {
            throw new IllegalArgumentException("GARCH fit needs returns with positive variance");
        }
        ObjectiveFunction objective = new ObjectiveFunction(y -> {
            double p = y[1];
            double alpha = y[2] * p;
            double beta = p - alpha;
            double omega = s2 * Math.exp(y[0]) * (1.0 - p);
            return logLikelihood(omega, alpha, beta, data, s2);
        });
        SimpleBounds bounds = new SimpleBounds(new double[] {-4.0, 0.0, 0.0}, new double[] {4.0, MAX_PERSISTENCE, 1.0});
        PointValuePair best = null;
        int evaluations = 0;
        for (double p0 : new double[] {0.90, 0.98}) {
            BOBYQAOptimizer optimizer = new BOBYQAOptimizer(7, 0.1, 1e-9);
            PointValuePair r = optimizer.optimize(new MaxEval(20_000), objective, GoalType.MAXIMIZE,
                new InitialGuess(new double[] {0.0, p0, 0.1}), bounds);
            evaluations += optimizer.getEvaluations();
            if (best == null || r.getValue() > best.getValue()) {
                best = r;
            }
        }
        double[] y = best.getPoint();
        double p = Math.min(y[1], MAX_PERSISTENCE);
        double alpha = y[2] * p;
        double beta = p - alpha;
        double omega = s2 * Math.exp(y[0]) * (1.0 - p);
        return new Fit(new Parameters(omega, alpha, beta), best.getValue(), m, s2, evaluations);
    }

    /**
     * The Gaussian log-likelihood of {@code returns} (no {@code NaN}) under a GARCH(1,1), the first variance
     * being {@code initialVariance}: {@code -1/2 sum (ln 2 pi + ln sigma_t^2 + r_t^2 / sigma_t^2)}.
     */
    public static double logLikelihood(double omega, double alpha, double beta, double[] returns,
                                       double initialVariance) {
        double v = initialVariance;
        double ll = 0.0;
        for (double r : returns) {
            if (!(v > 0)) {
                return Double.NEGATIVE_INFINITY;
            }
            ll -= 0.5 * (LOG_2PI + Math.log(v) + r * r / v);
            v = omega + alpha * r * r + beta * v;
        }
        return ll;
    }

    /**
     * The variance forecasts of a return series under this model.
     *
     * @param returns         daily log returns, {@code NaN} where there is no data
     * @param initialVariance the variance forecast of the first valid return (e.g. {@link Fit#initialVariance()}
     *                        or {@link Parameters#longRunVariance()})
     * @return {@code n + 1} daily variances: element {@code i} forecasts {@code returns[i]} from earlier returns,
     *         element {@code n} the next day; {@code NaN} before the first valid return
     */
    public double[] variances(double[] returns, double initialVariance) {
        int n = returns.length;
        double[] v = new double[n + 1];
        Arrays.fill(v, Double.NaN);
        int i = 0;
        while (i < n && Double.isNaN(returns[i])) {
            i++;
        }
        if (i == n) {
            return v;
        }
        v[i] = initialVariance;
        for (; i < n; i++) {
            v[i + 1] = next(v[i], returns[i]);
        }
        return v;
    }

    /** Tomorrow's variance from today's forecast and today's return (unchanged when the return is {@code NaN}). */
    public double next(double variance, double ret) {
        return Double.isNaN(ret) ? variance
            : parameters.omega() + parameters.alpha() * ret * ret + parameters.beta() * variance;
    }

    /**
     * The h-step forecast {@code E[sigma_{T+h}^2] = V_L + (alpha + beta)^{h-1} (sigma_{T+1}^2 - V_L)}.
     *
     * @param oneStepVariance the one-step forecast {@code sigma_{T+1}^2}
     * @param h               steps ahead, at least 1
     */
    public double forecast(double oneStepVariance, int h) {
        if (h < 1) {
            throw new IllegalArgumentException("h must be at least 1, got " + h);
        }
        double vl = parameters.longRunVariance();
        return vl + Math.pow(parameters.persistence(), h - 1) * (oneStepVariance - vl);
    }

    /**
     * The variance of the h-day sum of returns, {@code sum_{k=1..h} E[sigma_{T+k}^2]} (returns are uncorrelated):
     * the GARCH term structure, in place of EWMA's flat {@code h sigma^2}.
     */
    public double horizonVariance(double oneStepVariance, int h) {
        if (h < 1) {
            throw new IllegalArgumentException("h must be at least 1, got " + h);
        }
        double vl = parameters.longRunVariance();
        double p = parameters.persistence();
        double geometric = p == 1.0 ? h : (1.0 - Math.pow(p, h)) / (1.0 - p);
        return h * vl + geometric * (oneStepVariance - vl);
    }
}
