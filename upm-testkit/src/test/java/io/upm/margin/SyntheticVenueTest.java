package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.params.MarginParameters;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Future;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The synthetic venue is realistic enough to test with, deterministic, and fast. */
class SyntheticVenueTest {
    static final SyntheticVenue VENUE = SyntheticVenue.create(1L);

    @Test
    void theMarketLooksLikeNovember2025() {
        MarketSnapshot m = VENUE.market();
        assertThat(m.time()).isEqualTo(SyntheticVenue.TIME);
        assertThat(m.priceOrNaN("BTC")).isBetween(85_000.0, 95_000.0);
        assertThat(m.priceOrNaN("ETH")).isBetween(2_800.0, 3_200.0);
        assertThat(m.priceOrNaN("SOL")).isBetween(130.0, 150.0);
        assertThat(m.priceOrNaN("USDC")).isEqualTo(1.0);
        assertThat(m.correlations().get("BTC", "ETH")).isEqualTo(0.8);
        assertThat(m.correlations().get("SOL", "BTC")).isEqualTo(0.7);
        assertThat(m.correlations().get("ETH", "SOL")).isEqualTo(0.75);
        for (String u : SyntheticVenue.UNDERLYINGS) {
            assertThat(m.advOrNaN(u)).isPositive();
            double previous = m.priceOrNaN(u);
            for (var e : m.forwards().get(u).entrySet()) {
                assertThat(e.getKey().atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
                assertThat(e.getValue()).as("contango").isGreaterThan(previous * 0.995);
                previous = e.getValue();
            }
            assertThat(m.perpetualMark(new Perpetual(u + "-PERPETUAL", u, io.upm.product.Settlement.INVERSE)))
                .isCloseTo(m.priceOrNaN(u), org.assertj.core.data.Percentage.withPercentage(0.5));
        }
    }

    @Test
    void theUniverseHasAboutTwoThousandDistinctResolvableInstruments() {
        List<Instrument> universe = VENUE.universe();
        assertThat(universe.size()).isBetween(1_900, 2_100);
        Set<String> names = new HashSet<>();
        int options = 0;
        for (Instrument ins : universe) {
            assertThat(names.add(ins.name())).as(ins.name()).isTrue();
            assertThat(InstrumentNames.parse(ins.name(), "x")).isEqualTo(ins);
            ResolvedInstrument r = ResolvedInstrument.resolve(ins, VENUE.market(), "x");
            if (ins instanceof EuropeanOption o) {
                options++;
                assertThat(r.vol()).isBetween(0.15, 3.0);
                assertThat(o.strike() / r.spot()).isBetween(0.45, 2.1);
            }
        }
        assertThat(options).isGreaterThan(1_800);
        assertThat(universe).anyMatch(i -> i instanceof Future && !i.isLinear());
        assertThat(universe).anyMatch(i -> i instanceof EuropeanOption && i.isLinear());
    }

    @Test
    void accountsAreDeterministicMixedAndMostlyHealthy() {
        List<Portfolio> a = VENUE.accounts(600, 3);
        assertThat(SyntheticVenue.create(1L).accounts(600, 3)).isEqualTo(a);
        assertThat(VENUE.accounts(10, 3)).isEqualTo(a.subList(0, 10));
        assertThat(VENUE.accounts(10, 4)).isNotEqualTo(a.subList(0, 10));
        MarginParameters params = MarginParameters.defaults();
        RiskArrays arrays = RiskArrays.build(VENUE.market(), params, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        Map<AccountStatus, Integer> statuses = new EnumMap<>(AccountStatus.class);
        double positions = 0;
        for (Portfolio p : a) {
            positions += p.positions().size();
            double mm = calc.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
            statuses.merge(AccountStatus.of(calc.equity(), mm, params.initialMarginMultiplier() * mm), 1, Integer::sum);
        }
        assertThat(positions / a.size()).isBetween(15.0, 30.0);
        assertThat(statuses.getOrDefault(AccountStatus.HEALTHY, 0)).isGreaterThan(a.size() * 7 / 10);
        assertThat(a.size() - statuses.getOrDefault(AccountStatus.HEALTHY, 0)).isGreaterThan(a.size() / 30);
        System.out.println("[SyntheticVenueTest] statuses of 600 accounts: " + statuses);
    }

    @Test
    void randomPortfoliosAreDeterministic() {
        Portfolio a = VENUE.randomPortfolio(new SplittableRandom(9), 25);
        Portfolio b = SyntheticVenue.create(1L).randomPortfolio(new SplittableRandom(9), 25);
        assertThat(a).isEqualTo(b);
        assertThat(a.positions().size()).isBetween(25, 26);
    }

    @Test
    void aHundredThousandAccountsOfAboutTwentyPositions() {
        long t0 = System.nanoTime();
        List<Portfolio> accounts = VENUE.accounts(100_000, 11);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(accounts).hasSize(100_000);
        System.out.printf("[SyntheticVenueTest] 100,000 accounts generated in %.2f s%n", seconds);
        // informational only: timings are never asserted in unit tests
        assertThat(accounts.stream().mapToInt(p -> p.positions().size()).average().orElse(0)).isBetween(15.0, 25.0);
    }
}
