package io.upm.bench;

import io.upm.engine.liquidation.LiquidationDecision;
import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.engine.liquidation.LiquidationPlanner;
import io.upm.engine.liquidation.UnitVolatility;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@code liquidationPlanMicros}: one liquidation decision (the next slice of an account below its target: a full
 * compute, then every candidate slice re-margined through the calculator's one-unit recompute) on the synthetic venue
 * (about 2,000 instruments; accounts of about 20 positions and their coin balances). The accounts are the venue's
 * accounts in liquidation (equity between 0 and MM), cycled so that caches see a realistic mix; the account is not
 * changed, so every call plans the same first step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LiquidationBenchmark {
    private RiskArrays arrays;
    private double[] vol;
    private AccountState[] accounts;
    private LiquidationPlanner planner;
    private int next;

    /** Builds the venue and picks its accounts in liquidation. */
    @Setup(Level.Trial)
    public void setUp() {
        SyntheticVenue venue = SyntheticVenue.create(7);
        List<Instrument> universe = venue.universe();
        arrays = RiskArrays.build(venue.market(), MarginParameters.defaults(), universe,
            universe.stream().map(Instrument::name).toList());
        vol = UnitVolatility.fromSnapshot(arrays);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        planner = new LiquidationPlanner(LiquidationParameters.defaults(), calc);
        List<AccountState> picked = new ArrayList<>();
        for (Portfolio p : venue.accounts(4096, 8)) {
            AccountState s = new AccountState(p.account());
            for (Map.Entry<String, Double> b : p.balances().entrySet()) {
                s.addBalance(arrays.assetIndex(b.getKey()), b.getValue());
            }
            for (Position pos : p.positions()) {
                int i = arrays.instrumentIndex(pos.instrument().name());
                if (s.positionSize(i) == 0.0) {
                    s.setPosition(i, pos.size(), pos.entryPrice());
                }
            }
            double mm = calc.compute(arrays, s.resolve(arrays), -1);
            if (calc.equity() >= 0 && calc.equity() < mm) {
                picked.add(s);
            }
        }
        accounts = picked.toArray(AccountState[]::new);
        if (accounts.length == 0) {
            throw new IllegalStateException("no account in liquidation in the venue");
        }
    }

    /** One planning decision for the next account in liquidation. */
    @Benchmark
    public LiquidationDecision liquidationPlanMicros() {
        AccountState s = accounts[next];
        next = next + 1 == accounts.length ? 0 : next + 1;
        return planner.plan(arrays, s, SyntheticVenue.TIME, vol, null, null);
    }
}
