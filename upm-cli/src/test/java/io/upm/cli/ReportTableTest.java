package io.upm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountStatus;
import io.upm.margin.MarginReport;
import io.upm.margin.WhatIf;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The readable margin table and what-if, on hand-made reports whose every number is known. */
class ReportTableTest {

    /** A one-unit BTC account: equity 10,000, MM 4,000.004, IM 5,000.005, a loan charged 100. */
    static MarginReport healthy() {
        return report("acct-1", 10_000, 4_000.004, 5_000.005, AccountStatus.HEALTHY);
    }

    static MarginReport report(String account, double equity, double mm, double im, AccountStatus status) {
        MarginReport.Unit btc = new MarginReport.Unit(new double[] {-0.16, 0, 0.16}, List.of("down", "none", "up"),
            new double[][] {{-1_500, -2_000, -3_000.5}, {5.8e-11, 0, -1e-9}, {1_250.25, 999.999, -12.3456}}, 3_000.5,
            new MarginReport.Cell(-0.16, "up"), 3_500, 900, 3_500, 400, 0.004,
            new MarginReport.Greeks(0.1234, -0.0000192, -666.76, 560.66, -0.0073, -9.6289));
        Map<String, MarginReport.Unit> units = new TreeMap<>(Map.of("BTC", btc));
        return new MarginReport(account, Instant.parse("2026-11-25T08:00:00Z"), equity, im, mm,
            equity > 0 ? mm / equity : null, status, new MarginReport.Requirements(6_000, 5_000), units,
            new MarginReport.CrossUnit(3_000.5, 3_000.5, 1_500.25, 3_500, "exact", "exact"), 100,
            List.of(new MarginReport.PositionLine("BTC-25DEC26-65000-P", 10, 799.92,
                    new MarginReport.Greeks(-0.1424, 0, 94.9935, -91.0829, 0, 0), -73_933.47),
                new MarginReport.PositionLine("BTC-PERPETUAL", -200_000, 3_137.32,
                    new MarginReport.Greeks(-2.1505, 0, 0, 0, 0, 0), 33_067.36),
                new MarginReport.PositionLine("BTC_USDC-PERPETUAL", 0.4, 135.2,
                    new MarginReport.Greeks(0.4002, 0, 0, 0, 0, 0), 938.26)));
    }

    @Test
    void balancesShowTheHaircutAndTheTermThatSetIt() {
        MarginReport r = healthy();
        MarginReport withBalances = new MarginReport(r.account(), r.time(), r.equity(), r.initialMargin(),
            r.maintenanceMargin(), r.marginRatio(), r.status(), r.standard(), r.units(), r.crossUnit(),
            r.borrowingCharge(), r.positions(), List.of(
                new MarginReport.BalanceLine("USDC", -2_500, 1.0, -2_500, 0, 0, "tier", 0, 0, 0, 0, null),
                new MarginReport.BalanceLine("UST", 1_000_000, 0.8, 800_000, 0.39012, 312_096, "depeg", 0, 0.13, 0.39,
                    0.00012, 1.1)));
        String table = ReportTable.render(withBalances);
        assertThat(table).contains("Balances and haircuts (haircut = min(1, max(tier, volatility, depeg) + size))");
        assertThat(table).containsPattern("UST +1,000,000 +0\\.8 +800,000\\.00 +39\\.0120 +depeg \\+ size +312,096\\.00"
            + " +487,904\\.00");
        assertThat(table).containsPattern("USDC +-2,500 +1 +-2,500\\.00 +0\\.0000 +loan, in full +0\\.00 +-2,500\\.00");
        // a report without balance lines has no such table (the figures above are unchanged)
        assertThat(ReportTable.render(r)).doesNotContain("Balances and haircuts");
    }

    @Test
    void theWholeTableOfAKnownReport() {
        // the excess first; units under every numeric header; two decimals lined up; requirements rounded up
        // (IM 5,000.005 -> 5,000.01), equity and excess down (4,999.995 -> 4,999.99); 5.8e-11 and -1e-9 -> 0.00
        assertThat(ReportTable.render(healthy())).isEqualTo("""
            Excess over initial margin: 4,999.99 USD
            Account acct-1 at 2026-11-25T08:00:00Z: HEALTHY   margin ratio (MM / equity) 40.00%

                                     portfolio margin  siloed baseline
                                                  USD              USD
              equity                        10,000.00        10,000.00
              initial margin IM              5,000.01         6,000.00
              maintenance margin MM          4,000.01         5,000.00
              excess over IM                 4,999.99         4,000.00
              excess over MM                 5,999.99         5,000.00
              portfolio MM is 80.0% of the siloed baseline's MM (no offsets at all)

            Across units: how MM is built
                                                                                          USD
              J(rho)         joint loss of the units under the correlations rho      3,000.50  <- largest
              J(Q_stress)    joint loss under correlations pulled halfway to 1       3,000.50  <- largest
              floor          (1 - c_max) x sum of W: the most that offsets can save  1,500.25
              + sum (C - W)  the units' core charges above their worst losses          499.50
              = CU           cross-unit charge                                       3,500.00
              + sum RS       roll (basis) shocks                                       400.00
              + sum LA       liquidity add-ons                                           0.01
              + borrowing    charge on negative balances (loans)                       100.00
              = MM           maintenance margin                                      4,000.01
              IM             initial margin                                          5,000.01

            Charges per risk unit
              unit         W         X     SOM         C      RS    LA  worst cell
                         USD       USD     USD       USD     USD   USD
              BTC   3,000.50  3,500.00  900.00  3,500.00  400.00  0.01  -16.00%, vol up
              W worst loss of the matrix, X extended moves, SOM short-option minimum, C = max(W, X, SOM),
              RS roll shock, LA liquidity add-on

            Greeks per risk unit (positions and the unit's coin balance)
              unit   delta      gamma        vega    theta        vanna         volga
                      coin   coin/USD  USD/vol pt  USD/day  coin/vol pt  USD/vol pt^2
              BTC   0.1234  -0.000019     -666.76   560.66      -0.0073       -9.6289

            Unit BTC: P&L by price move and vol state (* the worst cell, W)
                move   vol down    vol none      vol up
                   %        USD         USD         USD
              -16.00  -1,500.00   -2,000.00   -3,000.50*
               +0.00       0.00        0.00        0.00
              +16.00   1,250.25    1,000.00      -12.35

            Largest contributors to MM (MM with the position minus MM without it)
              instrument                     size     value    delta        vega    theta  MM contribution
                                                        USD     coin  USD/vol pt  USD/day              USD
              BTC-25DEC26-65000-P        10.0 BTC    799.92  -0.1424       94.99   -91.08       -73,933.47
              BTC-PERPETUAL        -200,000.0 USD  3,137.32  -2.1505        0.00     0.00        33,067.36
              BTC_USDC-PERPETUAL          0.4 BTC    135.20   0.4002        0.00     0.00           938.26
            """);
    }

    @Test
    void theFirstLineIsTheShortfallWhenEquityIsBelowIm() {
        assertThat(ReportTable.render(report("r", 4_500, 4_000, 5_000, AccountStatus.RESTRICTED)).lines().findFirst())
            .contains("SHORTFALL below initial margin: 500.00 USD");
        assertThat(ReportTable.headline(report("l", 3_000.001, 4_000, 5_000, AccountStatus.LIQUIDATION)))
            .isEqualTo("SHORTFALL below initial margin: 2,000.00 USD, below maintenance margin: 1,000.00 USD");
        assertThat(ReportTable.headline(report("b", -10, 4_000, 5_000, AccountStatus.BANKRUPT)))
            .isEqualTo("SHORTFALL below initial margin: 5,010.00 USD, below maintenance margin: 4,010.00 USD");
        assertThat(ReportTable.render(report("b", -10, 4_000, 5_000, AccountStatus.BANKRUPT)).lines().skip(1).findFirst())
            .contains("Account b at 2026-11-25T08:00:00Z: BANKRUPT   margin ratio (MM / equity) n/a (equity <= 0)");
        assertThat(ReportTable.headline(report("e", 5_000, 4_000, 5_000, AccountStatus.HEALTHY)))
            .isEqualTo("Excess over initial margin: 0.00 USD");
    }

    @Test
    void theFloorThatBindsIsExplained() {
        MarginReport.Unit a = new MarginReport.Unit(new double[] {-0.1, 0.1}, List.of("none"),
            new double[][] {{-100}, {100}}, 100, new MarginReport.Cell(-0.1, "none"), 100, 0, 100, 0, 0,
            new MarginReport.Greeks(1, 0, 0, 0, 0, 0));
        MarginReport.Unit b = new MarginReport.Unit(new double[] {-0.1, 0.1}, List.of("none"),
            new double[][] {{100}, {-300}}, 300, new MarginReport.Cell(0.1, "none"), 300, 0, 300, 0, 0,
            new MarginReport.Greeks(-1, 0, 0, 0, 0, 0));
        MarginReport r = new MarginReport("pair", Instant.parse("2026-11-25T08:00:00Z"), 1_000, 250, 200, 0.2,
            AccountStatus.HEALTHY, new MarginReport.Requirements(20, 10), new TreeMap<>(Map.of("A", a, "B", b)),
            new MarginReport.CrossUnit(120, 150, 200, 200, "exact", "bounded"), 0, List.of());
        String table = ReportTable.render(r);
        assertThat(table).contains("  floor          (1 - c_max) x sum of W: the most that offsets can save  200.00  <- largest\n")
            .contains("  the floor binds: at most 50% of the units' summed worst losses (400.00 USD) may be offset\n")
            .contains("  J(Q_stress) is bounded: a certified upper bound of the joint loss")
            .doesNotContain("J(rho) is bounded")
            .contains("  portfolio MM is 2000.0% of the siloed baseline's MM (no offsets at all)\n")
            .doesNotContain("Largest contributors");
    }

    static WhatIf whatIf(boolean accepted, String reason) {
        MarginReport before = report("acct-1", 10_000, 4_000, 5_000, AccountStatus.HEALTHY);
        MarginReport after = report("acct-1", 10_000 + 5.821e-11, 1_000, 1_250, AccountStatus.HEALTHY);
        return new WhatIf(before, after, -3_000, -3_750, accepted, reason);
    }

    @Test
    void theWhatIfStatesItsVerdictOnceAndRoundsTinyChangesToZero() {
        String text = ReportTable.renderWhatIf(whatIf(true, "accepted: equity covers the initial margin after the order"),
            List.of("BTC-25DEC26-65000-P:10", "BTC-PERPETUAL:-1000"));
        assertThat(text).isEqualTo("""
            What if account acct-1 adds BTC-25DEC26-65000-P:10, BTC-PERPETUAL:-1000?
            ACCEPTED: equity covers the initial margin after the order

                                        before      after     change
                                           USD        USD        USD
              excess over IM          5,000.00   8,750.00  +3,750.00
              equity                 10,000.00  10,000.00       0.00
              maintenance margin MM   4,000.00   1,000.00  -3,000.00
              initial margin IM       5,000.00   1,250.00  -3,750.00
              siloed baseline MM      5,000.00   5,000.00       0.00
              status                   healthy    healthy
            """);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "true|accepted: the order lowers the maintenance margin|ACCEPTED: the order lowers the maintenance margin",
        "false|rejected: equity after the order would be below the initial margin|REJECTED: equity after the order would be below the initial margin",
        "true|Accepted:   equity covers it|ACCEPTED: equity covers it",
        "false|margin too high|REJECTED: margin too high",
        "true|accepted:|ACCEPTED"})
    void theVerdictIsOneLineWithTheWordOnce(boolean accepted, String reason, String line) {
        assertThat(ReportTable.verdict(whatIf(accepted, reason))).isEqualTo(line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "5.821e-11|0.00|0.00|0.00|0.00",
        "-5.821e-11|0.00|0.00|0.00|0.00",
        "-0.004|0.00|-0.01|0.00|0.00",
        "0.004|0.00|0.00|0.01|0.00",
        "4000.0000000001|4,000.00|4,000.00|4,000.00|+4,000.00",
        "4000.004|4,000.00|4,000.00|4,000.01|+4,000.00",
        "-1234567.891|-1,234,567.89|-1,234,567.90|-1,234,567.89|-1,234,567.89",
        "202.06|202.06|202.06|202.06|+202.06"})
    void amountsAreRoundedForDisplayOnly(double v, String nearest, String down, String up, String signed) {
        assertThat(ReportTable.usd(v)).isEqualTo(nearest);
        assertThat(ReportTable.down(v)).isEqualTo(down);
        assertThat(ReportTable.up(v)).isEqualTo(up);
        assertThat(ReportTable.signedUsd(v)).isEqualTo(signed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"BTC-PERPETUAL|USD", "BTC-27MAR26|USD", "BTC_USDC-PERPETUAL|BTC",
        "ETH_USDC-27MAR26|ETH", "BTC-26DEC25-100000-C|BTC", "SOL_USDC-26DEC25-180-P|SOL", "not an instrument|''"})
    void sizesAreInUsdForInverseDeltaOneContractsElseInCoin(String instrument, String unit) {
        assertThat(ReportTable.sizeUnit(instrument)).isEqualTo(unit);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10,0", "0.4,1", "0.125,3", "0.12345,4", "-200000,0", "1e-9,0"})
    void sizesShowTheirDecimalsOnly(double v, int decimals) {
        assertThat(ReportTable.decimalsNeeded(v, 4)).isEqualTo(decimals);
    }
}
