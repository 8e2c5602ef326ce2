package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.upm.margin.params.MarginParameters;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small cases checked by hand against MODEL.md: each expected figure is written out from the formula in
 * the test, and both the fast calculator ({@link MarginCalculator}) and the naive reference must produce it.
 */
class UnitChargesTest {
    /** The naive reference calculator (its own geometry cache; JUnit runs a class on one thread). */
    private static final NaiveMarginCalculator NAIVE = new NaiveMarginCalculator();

    static final double RELATIVE = 1e-9;
    static final Instant NOW = Instant.parse("2025-11-25T08:00:00Z");
    static final MarginParameters DEFAULTS = MarginParameters.defaults();
    static final double S = 90_000.0;
    static final double LINEAR_MARK = 90_040.0;
    static final double INVERSE_MARK = 90_020.0;
    static final double F_DEC = 90_500.0;
    static final double F_JUN = 93_000.0;
    static final double VOL = 0.5;
    static final double R_BTC = 0.16;

    static MarketSnapshot market(double btcAdv) {
        MarketSnapshot.Builder b = MarketSnapshot.builder(NOW)
            .price("BTC", S).price("ETH", 3_000).price("SOL", 140).price("XRP", 2.0).price("USDC", 1.0)
            .mark("BTC_USDC-PERPETUAL", LINEAR_MARK).mark("BTC-PERPETUAL", INVERSE_MARK)
            .forward("BTC", "26DEC25", F_DEC).forward("BTC", "26JUN26", F_JUN)
            .flatVol("BTC", VOL).flatVol("ETH", 0.7)
            .correlation("BTC/ETH", 0.8);
        if (!Double.isNaN(btcAdv)) {
            b.adv("BTC", btcAdv);
        }
        return b.build();
    }

    static final MarketSnapshot MARKET = market(Double.NaN);

    @Test
    void aLoneLinearPerpetual() {
        double q = 2.0;
        double entry = 89_000.0;
        Portfolio p = portfolio(Map.of("USDC", 100_000.0), pos("BTC_USDC-PERPETUAL", q, entry));
        Both r = both(MARKET, p);
        for (int j = 0; j < 9; j++) {
            double s = R_BTC * (j - 4) / 4.0;
            for (int v = 0; v < 3; v++) {
                r.cell("BTC", j, v, q * LINEAR_MARK * s);
            }
        }
        double w = q * LINEAR_MARK * R_BTC;
        r.unit("BTC", w, w, 0.0, w, Math.abs(q * LINEAR_MARK) * 0.01, 0.0);
        r.delta("BTC", q * LINEAR_MARK / S);
        r.equity(100_000.0 + q * (LINEAR_MARK - entry));
        r.maintenance(w + q * LINEAR_MARK * 0.01);
        assertThat(r.fast.crossUnit().charge()).isEqualTo(r.fast.units().get("BTC").coreCharge());
    }

    @Test
    void anInversePerpetualHasAnExposureOfSizeOverEntryCoins() {
        double q = -100_000.0; // USD notional
        double entry = 88_000.0;
        Portfolio p = portfolio(Map.of("USDC", 50_000.0), pos("BTC-PERPETUAL", q, entry));
        Both r = both(MARKET, p);
        double coins = q / entry;
        for (int j = 0; j < 9; j++) {
            double s = R_BTC * (j - 4) / 4.0;
            // q (1/E - 1/(M(1+s))) S(1+s) - q (1/E - 1/M) S = (q/E) S s
            r.cell("BTC", j, 1, coins * S * s);
        }
        double w = Math.abs(coins) * S * R_BTC;
        r.unit("BTC", w, w, 0.0, w, Math.abs(coins * S) * 0.01, 0.0);
        r.delta("BTC", coins);
        r.equity(50_000.0 + q * (1 / entry - 1 / INVERSE_MARK) * S);
    }

    @Test
    void aShortFarOutOfTheMoneyCallIsChargedByItsExtendedMovesAndItsMinimum() {
        double strike = 150_000.0;
        Portfolio p = portfolio(Map.of("USDC", 100_000.0), pos("BTC_USDC-26DEC25-150000-C", -1.0, Double.NaN));
        Both r = both(MARKET, p);
        double t = 31.0 / 365.0; // 25 Nov to 26 Dec, both 08:00 UTC
        double days = 31.0;
        double m = Math.pow(30.0 / days, 0.13); // D >= 30: p = 0.13
        double up = Math.max(VOL * (1 + 0.5 * m), 0.5);
        double down = Math.max(VOL * (1 - 0.25 * m), 0.01);
        double[] vols = {down, VOL, up};
        double v0 = Black76.price(true, F_DEC, strike, t, VOL, 0.0);
        double worst = 0.0;
        for (int j = 0; j < 9; j++) {
            double s = R_BTC * (j - 4) / 4.0;
            for (int v = 0; v < 3; v++) {
                double pnl = -(Black76.price(true, F_DEC * (1 + s), strike, t, vols[v], 0.0) - v0);
                r.cell("BTC", j, v, pnl);
                worst = Math.max(worst, -pnl);
            }
        }
        double x = 0.0;
        for (double e : DEFAULTS.extendedMoves()) {
            double pnl = -(Black76.price(true, F_DEC * (1 + e), strike, t, up, 0.0) - v0);
            x = Math.max(x, -pnl * R_BTC / Math.abs(e));
        }
        double som = 0.01 * S * 1.0;
        assertThat(x).isGreaterThan(worst);
        r.unit("BTC", worst, x, som, Math.max(x, som), null, 0.0);
        r.equity(100_000.0 - v0);
        // the siloed baseline: MM 7.5% S |q| + value; IM max(15% - OTM/S, 10%) S |q| + value
        close(r.fast.standard().maintenanceMargin(), 0.075 * S + v0, "standard MM");
        close(r.fast.standard().initialMargin(), Math.max(0.15 - (strike - S) / S, 0.10) * S + v0, "standard IM");
    }

    @Test
    void anInverseOptionIsWorthItsCoinPremiumAtTheIndex() {
        Portfolio p = portfolio(Map.of("BTC", 1.0), pos("BTC-26DEC25-100000-P", 3.0, Double.NaN));
        Both r = both(MARKET, p);
        double t = 31.0 / 365.0;
        double value = 3.0 * Black76.price(false, F_DEC, 100_000.0, t, VOL, 0.0) * S / F_DEC;
        close(r.fast.positions().get(0).value(), value, "inverse put value");
        close(r.naive.positionValues()[0], value, "naive inverse put value");
        r.equity(S + value);
    }

    @Test
    void theShortOptionMinimumNetsEachSeriesAcrossSettlements() {
        // long inverse call and short linear call on one series (expiry, strike, call): net zero
        Both netted = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC-26DEC25-100000-C", 1.0, Double.NaN),
            pos("BTC_USDC-26DEC25-100000-C", -1.0, Double.NaN)));
        netted.unitSom("BTC", 0.0);
        // a short call and a short put on the same strike are two series
        Both strangle = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC_USDC-26DEC25-100000-C", -1.0, Double.NaN),
            pos("BTC_USDC-26DEC25-100000-P", -1.0, Double.NaN)));
        strangle.unitSom("BTC", 0.01 * S * 2);
        // short 2, long 1 of one series: net short 1
        Both partial = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC_USDC-26JUN26-80000-P", -2.0, Double.NaN),
            pos("BTC-26JUN26-80000-P", 1.0, Double.NaN)));
        partial.unitSom("BTC", 0.01 * S);
    }

    @Test
    void aFuturesRollShockGrowsWithTimeToExpiry() {
        double tJun = 213.0 / 365.0; // 25 Nov 2025 to 26 Jun 2026
        double factorJun = Math.exp(0.075 * tJun) - 1.0;
        assertThat(factorJun).isGreaterThan(0.01);
        Both jun = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC_USDC-26JUN26", 3.0, 92_000.0)));
        // delta of a linear future: q F / S per index move; |delta S| = q F
        jun.unitRs("BTC", 3.0 * F_JUN * factorJun);
        // a calendar: each expiry is its own group, nothing nets across groups; the December factor
        // e^{0.075 x 31/365} - 1 = 0.0064 is below the 1% minimum move
        double tDec = 31.0 / 365.0;
        assertThat(Math.exp(0.075 * tDec) - 1.0).isLessThan(0.01);
        Both calendar = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC_USDC-26JUN26", 3.0, 92_000.0),
            pos("BTC_USDC-26DEC25", -3.0, 90_000.0)));
        calendar.unitRs("BTC", 3.0 * F_JUN * factorJun + 3.0 * F_DEC * 0.01);
        // an inverse future: delta q / E
        Both inverse = both(MARKET, portfolio(Map.of("USDC", 1e5), pos("BTC-26JUN26", -200_000.0, 91_000.0)));
        inverse.unitRs("BTC", 200_000.0 / 91_000.0 * S * factorJun);
        // a spot balance is in no group
        Both spot = both(MARKET, portfolio(Map.of("BTC", 10.0)));
        spot.unitRs("BTC", 0.0);
    }

    @Test
    void theLiquidityAddOnNeedsAnAdvAndUsesTheNetDelta() {
        double adv = 1e9;
        MarketSnapshot withAdv = market(adv);
        Portfolio big = portfolio(Map.of("USDC", 1e8), pos("BTC_USDC-PERPETUAL", 1_000.0, LINEAR_MARK));
        double n = 1_000.0 * LINEAR_MARK;
        Both r = both(withAdv, big);
        r.unitLa("BTC", 0.1 * n * Math.sqrt(n / adv));
        assertThat(r.fast.units().get("BTC").liquidityAddOn()).isCloseTo(2.70e6,
            org.assertj.core.data.Percentage.withPercentage(0.5));
        // the same book hedged with a short spot balance: net delta 1000 (M/S - 1)
        Both hedged = both(withAdv, big.withBalanceChange("BTC", -1_000.0));
        double nh = Math.abs(1_000.0 * LINEAR_MARK / S * S - 1_000.0 * S);
        hedged.unitLa("BTC", 0.1 * nh * Math.sqrt(nh / adv));
        // no ADV in the snapshot: no add-on
        both(MARKET, big).unitLa("BTC", 0.0);
    }

    @Test
    void haircutsAreTieredLikeTaxBrackets() {
        // BTC, ETH: 0 to 5M, 2% to 50M, 5% above
        checkHaircut("BTC", 1e6, S, 0.0);
        checkHaircut("BTC", 5e6, S, 0.0);
        checkHaircut("BTC", 60e6, S, 0.02 * 45e6 + 0.05 * 10e6); // 1.4M
        checkHaircut("ETH", 60e6, 3_000, 1.4e6);
        // SOL: 5% to 5M, 10% above
        checkHaircut("SOL", 1e6, 140, 0.05 * 1e6);
        checkHaircut("SOL", 60e6, 140, 0.05 * 5e6 + 0.10 * 55e6);
        // USDC: 0 to 50M, 1% above
        checkHaircut("USDC", 1e6, 1.0, 0.0);
        checkHaircut("USDC", 60e6, 1.0, 0.01 * 10e6);
        // any other asset: 10% to 1M, 25% above
        checkHaircut("XRP", 1e6, 2.0, 0.1e6);
        checkHaircut("XRP", 5e6, 2.0, 0.1e6 + 0.25 * 4e6);
    }

    private static void checkHaircut(String asset, double usd, double price, double expectedHaircut) {
        double amount = usd / price;
        double actualUsd = amount * price;
        Both r = both(MARKET, portfolio(Map.of(asset, amount)));
        // loose on the USD value: amount x price need not give back exactly the round number
        double expected = actualUsd - expectedHaircut;
        double tol = 1e-9 * actualUsd + 1e-6;
        assertThat(r.fast.equity()).as(asset + " worth " + usd).isCloseTo(expected,
            org.assertj.core.data.Offset.offset(tol));
        assertThat(r.naive.equity()).as(asset + " worth " + usd).isCloseTo(expected,
            org.assertj.core.data.Offset.offset(tol));
    }

    @Test
    void loansAreChargedFourPercentAndACoinLoanIsAShortInItsUnit() {
        Both r = both(MARKET, portfolio(Map.of("USDC", -100_000.0, "BTC", -1.0)));
        close(r.fast.borrowingCharge(), 0.04 * 100_000.0 + 0.04 * S, "borrowing");
        close(r.naive.borrowingCharge(), 0.04 * 100_000.0 + 0.04 * S, "naive borrowing");
        double w = 1.0 * S * R_BTC;
        r.unit("BTC", w, w, 0.0, w, 0.0, 0.0);
        r.delta("BTC", -1.0);
        r.maintenance(w + 0.04 * 100_000.0 + 0.04 * S);
        r.equity(-100_000.0 - S);
        assertThat(r.fast.status()).isEqualTo(AccountStatus.BANKRUPT);
        // siloed baseline of loans: MM 10%, IM 20%
        close(r.fast.standard().maintenanceMargin(), 0.10 * (100_000.0 + S), "standard MM of loans");
        close(r.fast.standard().initialMargin(), 0.20 * (100_000.0 + S), "standard IM of loans");
    }

    @Test
    void aSpotBalanceFormsItsOwnUnit() {
        Both r = both(MARKET, portfolio(Map.of("BTC", 2.0, "USDC", 10.0)));
        for (int j = 0; j < 9; j++) {
            r.cell("BTC", j, 0, 2.0 * S * R_BTC * (j - 4) / 4.0);
        }
        double w = 2.0 * S * R_BTC;
        r.unit("BTC", w, w, 0.0, w, 0.0, 0.0);
        r.delta("BTC", 2.0);
        assertThat(r.fast.units()).containsOnlyKeys("BTC");
    }

    @Test
    void statusThresholds() {
        assertThat(AccountStatus.of(-0.01, 10, 12.5)).isEqualTo(AccountStatus.BANKRUPT);
        assertThat(AccountStatus.of(0.0, 10, 12.5)).isEqualTo(AccountStatus.LIQUIDATION);
        assertThat(AccountStatus.of(9.99, 10, 12.5)).isEqualTo(AccountStatus.LIQUIDATION);
        assertThat(AccountStatus.of(10.0, 10, 12.5)).isEqualTo(AccountStatus.RESTRICTED);
        assertThat(AccountStatus.of(12.49, 10, 12.5)).isEqualTo(AccountStatus.RESTRICTED);
        assertThat(AccountStatus.of(12.5, 10, 12.5)).isEqualTo(AccountStatus.HEALTHY);
        // through a report: a linear perpetual at its mark, equity = the USDC balance
        double q = 1.0;
        double mm = q * LINEAR_MARK * R_BTC + q * LINEAR_MARK * 0.01;
        assertThat(status(mm * 2.0)).isEqualTo(AccountStatus.HEALTHY);
        assertThat(status(mm * 1.1)).isEqualTo(AccountStatus.RESTRICTED);
        assertThat(status(mm * 0.9)).isEqualTo(AccountStatus.LIQUIDATION);
        assertThat(status(-mm * 0.1)).isEqualTo(AccountStatus.BANKRUPT);
        Both r = both(MARKET, portfolio(Map.of("USDC", mm * 1.1), pos("BTC_USDC-PERPETUAL", q, LINEAR_MARK)));
        close(r.fast.maintenanceMargin(), mm, "MM");
        close(r.fast.initialMargin(), 1.25 * mm, "IM = 1.25 MM");
        close(r.fast.marginRatio(), mm / (mm * 1.1), "margin ratio");
        assertThat(r.naive.status()).isEqualTo(AccountStatus.RESTRICTED);
    }

    private static AccountStatus status(double usdc) {
        Portfolio p = portfolio(Map.of("USDC", usdc), pos("BTC_USDC-PERPETUAL", 1.0, LINEAR_MARK));
        return MarginCalculator.report(MARKET, p, DEFAULTS).status();
    }

    // ---------------------------------------------------------------------------------------------

    static Position pos(String name, double size, double entry) {
        return Position.of(InstrumentNames.parse(name, "test"), size, entry, "test");
    }

    static Portfolio portfolio(Map<String, Double> balances, Position... positions) {
        return new Portfolio("hand", new LinkedHashMap<>(balances), List.of(positions));
    }

    static Both both(MarketSnapshot market, Portfolio p) {
        return new Both(MarginCalculator.report(market, p, DEFAULTS),
            NAIVE.compute(market, p, DEFAULTS));
    }

    /** The fast report and the naive result of one account, checked together against a hand value. */
    record Both(MarginReport fast, NaiveMarginCalculator.Result naive) {
        void cell(String u, int j, int v, double expected) {
            close(fast.units().get(u).pnl()[j][v], expected, u + " cell " + j + "," + v);
            close(naive.units().get(u).matrix()[j][v], expected, "naive " + u + " cell " + j + "," + v);
        }

        /** W, X, SOM, C, RS (null: not checked), LA. */
        void unit(String u, double w, double x, double som, double c, Double rs, double la) {
            MarginReport.Unit f = fast.units().get(u);
            NaiveMarginCalculator.UnitResult n = naive.units().get(u);
            close(f.worstLoss(), w, u + " W");
            close(n.worstLoss(), w, "naive " + u + " W");
            close(f.extendedLoss(), x, u + " X");
            close(n.extendedLoss(), x, "naive " + u + " X");
            unitSom(u, som);
            close(f.coreCharge(), c, u + " C");
            close(n.coreCharge(), c, "naive " + u + " C");
            if (rs != null) {
                unitRs(u, rs);
            }
            unitLa(u, la);
        }

        void unitSom(String u, double som) {
            close(fast.units().get(u).shortOptionMinimum(), som, u + " SOM");
            close(naive.units().get(u).shortOptionMinimum(), som, "naive " + u + " SOM");
        }

        void unitRs(String u, double rs) {
            close(fast.units().get(u).rollShock(), rs, u + " RS");
            close(naive.units().get(u).rollShock(), rs, "naive " + u + " RS");
        }

        void unitLa(String u, double la) {
            close(fast.units().get(u).liquidityAddOn(), la, u + " LA");
            close(naive.units().get(u).liquidityAddOn(), la, "naive " + u + " LA");
        }

        void delta(String u, double delta) {
            close(fast.units().get(u).greeks().delta(), delta, u + " delta");
            close(naive.units().get(u).delta(), delta, "naive " + u + " delta");
        }

        void equity(double equity) {
            close(fast.equity(), equity, "equity");
            close(naive.equity(), equity, "naive equity");
        }

        void maintenance(double mm) {
            close(fast.maintenanceMargin(), mm, "MM");
            close(naive.maintenanceMargin(), mm, "naive MM");
        }
    }

    static void close(double actual, double expected, String what) {
        double tol = RELATIVE * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-6;
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": " + actual + " but expected " + expected + " (difference " + (actual - expected) + ")");
        }
    }
}
