package io.upm.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Instrument values and position Greeks of MODEL.md section 2, in USD and with respect to the index S
 * (forwards and marks moving in proportion): checked against the formulas written out here and against
 * central finite differences of the value itself, for every kind of instrument.
 */
class ResolvedInstrumentTest {
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    static MarketSnapshot market(Instant time, double spot, double vol, double rate) {
        return MarketSnapshot.builder(time).price("BTC", spot).price("USDC", 1.0)
            .forward("BTC", "25DEC26", spot * 1.006).forward("BTC", "26MAR27", spot * 1.025)
            .mark("BTC-PERPETUAL", spot * 1.0004).mark("BTC_USDC-PERPETUAL", spot * 1.0003)
            .vol("BTC", "25DEC26", String.valueOf((int) (spot * 0.8)), vol * 1.1)
            .vol("BTC", "25DEC26", String.valueOf((int) (spot * 1.2)), vol * 0.95)
            .vol("BTC", "26MAR27", String.valueOf((int) spot), vol)
            .rate(rate).build();
    }

    static Stream<Arguments> instruments() {
        return Stream.of("BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "BTC-26MAR27", "BTC_USDC-25DEC26",
                "BTC-25DEC26-100000-C", "BTC-25DEC26-80000-P", "BTC_USDC-25DEC26-95000-C", "BTC_USDC-26MAR27-70000-P",
                "BTC-26MAR27-150000-C", "BTC_USDC-25DEC26-40000-P")
            .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("instruments")
    void greeksMatchFiniteDifferencesOfTheUsdValue(String name) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int trial = 0; trial < 20; trial++) {
            double spot = 60_000 + 60_000 * rnd.nextDouble();
            double vol = 0.3 + 0.8 * rnd.nextDouble();
            double rate = rnd.nextDouble() * 0.06 - 0.01;
            double entry = spot * (0.8 + 0.4 * rnd.nextDouble());
            MarketSnapshot m = market(T0, spot, vol, rate);
            ResolvedInstrument r = ResolvedInstrument.resolve(InstrumentNames.parse(name, "i"), m, "i");
            double[] g = new double[ResolvedInstrument.GREEK_COUNT];
            r.greeks(entry, new OptionSensitivities(), g);

            // delta and gamma: move S (and every forward and mark in proportion) by +-h relative
            double h = 1e-4;
            double up = r.value(entry, h, r.vol());
            double down = r.value(entry, -h, r.vol());
            double mid = r.value(entry);
            double ds = spot * h;
            assertClose(g[ResolvedInstrument.DELTA], (up - down) / (2 * ds), 1e-5, 1e-9, name + " delta");
            assertClose(g[ResolvedInstrument.GAMMA], (up - 2 * mid + down) / (ds * ds), 2e-4, 1e-10, name + " gamma");
            // the same delta through the snapshot perturbation (scenarios as perturbations)
            ResolvedInstrument moved = ResolvedInstrument.resolve(r.instrument(), m.withPriceMove("BTC", h), "i");
            ResolvedInstrument movedDown = ResolvedInstrument.resolve(r.instrument(), m.withPriceMove("BTC", -h), "i");
            assertClose(g[ResolvedInstrument.DELTA], (moved.value(entry) - movedDown.value(entry)) / (2 * ds), 1e-5, 1e-9,
                name + " delta via snapshot");
            if (!r.isOption()) {
                assertThat(g[ResolvedInstrument.VEGA]).isZero();
                assertThat(g[ResolvedInstrument.THETA]).isZero();
                continue;
            }
            // vega, vanna, volga per vol point: bump sigma
            double dv = 1e-4;
            double vUp = r.value(entry, 0.0, r.vol() + dv);
            double vDown = r.value(entry, 0.0, r.vol() - dv);
            assertClose(g[ResolvedInstrument.VEGA], (vUp - vDown) / (2 * dv) * 0.01, 1e-5, 1e-9, name + " vega");
            assertClose(g[ResolvedInstrument.VOLGA], (vUp - 2 * mid + vDown) / (dv * dv) * 1e-4, 1e-3, 1e-9,
                name + " volga");
            double deltaVolUp = (r.value(entry, h, r.vol() + dv) - r.value(entry, -h, r.vol() + dv)) / (2 * ds);
            double deltaVolDown = (r.value(entry, h, r.vol() - dv) - r.value(entry, -h, r.vol() - dv)) / (2 * ds);
            assertClose(g[ResolvedInstrument.VANNA], (deltaVolUp - deltaVolDown) / (2 * dv) * 0.01, 1e-3, 1e-9,
                name + " vanna");
            // theta per calendar day: ten minutes later and earlier, S, forwards, marks and vol unchanged
            MarketSnapshot later = market(T0.plusSeconds(600), spot, vol, rate);
            MarketSnapshot earlier = market(T0.minusSeconds(600), spot, vol, rate);
            double vLater = ResolvedInstrument.resolve(r.instrument(), later, "i").value(entry, 0.0, r.vol());
            double vEarlier = ResolvedInstrument.resolve(r.instrument(), earlier, "i").value(entry, 0.0, r.vol());
            assertClose(g[ResolvedInstrument.THETA], (vLater - vEarlier) / (1200.0 / 86400.0), 1e-4, 1e-8, name + " theta");
        }
    }

    @Test
    void valuesFollowModelSectionTwo() {
        MarketSnapshot m = market(T0, 90_000, 0.5, 0.0);
        double s = 90_000;
        // linear perpetual: q (M - E) with the snapshot's mark
        assertThat(value(m, "BTC_USDC-PERPETUAL", 91_000)).isCloseTo(s * 1.0003 - 91_000, within(1e-9));
        // inverse perpetual: q (1/E - 1/M) S, per USD of notional
        assertThat(value(m, "BTC-PERPETUAL", 91_000)).isCloseTo((1 / 91_000.0 - 1 / (s * 1.0004)) * s, within(1e-15));
        // futures mark at their forward
        assertThat(value(m, "BTC_USDC-25DEC26", 90_000)).isCloseTo(s * 1.006 - 90_000, within(1e-9));
        assertThat(value(m, "BTC-26MAR27", 90_000)).isCloseTo((1 / 90_000.0 - 1 / (s * 1.025)) * s, within(1e-15));
        // options: Black-76 on the forward of their expiry; inverse ones converted at S / F
        ResolvedInstrument c = ResolvedInstrument.resolve(InstrumentNames.parse("BTC-26MAR27-90000-C", "i"), m, "i");
        double t = m.yearFraction(c.instrument().expiry());
        double black = Black76.price(true, s * 1.025, 90_000, t, 0.5, 0.0);
        assertThat(c.value(0.0)).isCloseTo(black * s / (s * 1.025), within(1e-9));
        ResolvedInstrument lc = ResolvedInstrument.resolve(InstrumentNames.parse("BTC_USDC-26MAR27-90000-C", "i"), m, "i");
        assertThat(lc.value(0.0)).isCloseTo(black, within(1e-9));
        assertThat(c.vol()).isEqualTo(0.5);
    }

    @Test
    void unresolvableInstrumentsNameTheField() {
        MarketSnapshot m = market(T0, 90_000, 0.5, 0.0);
        assertThatThrownBy(() -> ResolvedInstrument.resolve(InstrumentNames.parse("ETH-PERPETUAL", "f"), m, "positions[3]"))
            .isInstanceOf(InputException.class).hasMessageContaining("positions[3]").hasMessageContaining("ETH");
        assertThatThrownBy(() -> ResolvedInstrument.resolve(InstrumentNames.parse("BTC-27NOV26-1-C", "f"),
            MarketSnapshot.builder(T0).price("BTC", 1).build(), "positions[0]"))
            .isInstanceOf(InputException.class).hasMessageContaining("no implied vol");
        assertThatThrownBy(() -> ResolvedInstrument.resolve(InstrumentNames.parse("BTC-20NOV26-1-C", "f"), m, "p"))
            .isInstanceOf(InputException.class).hasMessageContaining("expired");
    }

    private static double value(MarketSnapshot m, String name, double entry) {
        return ResolvedInstrument.resolve(InstrumentNames.parse(name, "i"), m, "i").value(entry);
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    private static void assertClose(double analytic, double numeric, double rel, double abs, String what) {
        assertThat(Math.abs(analytic - numeric)).as(what + ": analytic " + analytic + " vs numeric " + numeric)
            .isLessThanOrEqualTo(abs + rel * Math.max(Math.abs(analytic), Math.abs(numeric)));
    }
}
