package io.upm.bench;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The margin hot paths on the synthetic venue (about 2,000 instruments on BTC, ETH, SOL; accounts of about
 * 20 positions): one account from cached risk arrays, the same by naive full repricing, the whole
 * universe's risk-array build, and the rebuild after a BTC move.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccountMarginBenchmark {
    private final NaiveMarginCalculator naive = new NaiveMarginCalculator();
    private static final int ACCOUNTS = 4096;

    private MarginParameters params;
    private MarketSnapshot market;
    private MarketSnapshot movedMarket;
    private List<Instrument> universe;
    private List<String> fields;
    private RiskArrays arrays;
    private List<Portfolio> portfolios;
    private ResolvedPortfolio[] accounts;
    private final AccountMarginCalculator calculator = new AccountMarginCalculator();
    private int next;

    /** Builds the venue once. */
    @Setup(Level.Trial)
    public void setUp() {
        params = MarginParameters.defaults();
        SyntheticVenue venue = SyntheticVenue.create(7);
        market = venue.market();
        movedMarket = market.withPriceMove("BTC", -0.05);
        universe = venue.universe();
        fields = universe.stream().map(Instrument::name).toList();
        arrays = RiskArrays.build(market, params, universe, fields);
        portfolios = venue.accounts(ACCOUNTS, 8);
        accounts = portfolios.stream().map(p -> ResolvedPortfolio.resolve(p, arrays)).toArray(ResolvedPortfolio[]::new);
    }

    /** One account's MM from the cached arrays (the accounts cycle, so caches see a realistic mix). */
    @Benchmark
    public double accountFromCachedArrays() {
        ResolvedPortfolio p = accounts[next];
        next = (next + 1) & (ACCOUNTS - 1);
        return calculator.compute(arrays, p, -1);
    }

    /** The same account by naive full repricing of every position in every scenario. */
    @Benchmark
    public double accountNaiveFullRepricing() {
        Portfolio p = portfolios.get(next);
        next = (next + 1) & (ACCOUNTS - 1);
        return naive.compute(market, p, params).maintenanceMargin();
    }

    /** Risk arrays of the whole universe. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RiskArrays buildUniverseArrays() {
        return RiskArrays.build(market, params, universe, fields);
    }

    /** Rebuild after a BTC move: only BTC instruments are repriced. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RiskArrays rebuildAfterBtcMove() {
        return arrays.withMarket(movedMarket);
    }
}
