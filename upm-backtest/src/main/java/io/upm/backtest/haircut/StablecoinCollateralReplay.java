package io.upm.backtest.haircut;

import io.upm.backtest.CloseSeries;
import io.upm.input.InputException;
import io.upm.margin.AccountStatus;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.haircut.DailyEwmaVolatility;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays an account that holds a stablecoin as collateral against a short BTC perpetual, day by day on real daily
 * closes, through the risk core ({@link MarginCalculator}), twice: with the static tier haircuts of MODEL.md section 6
 * ({@link DynamicHaircutParameters#off()}) and with the dynamic haircuts of section 10. The positions never change
 * (no liquidation is executed: the replay says when the risk core would flag the account, and what its equity is
 * worth each day).
 *
 * <p>Each day d of the window: BTC at its close (Binance BTCUSDT, taken as USD), the stablecoin at its close, the
 * perpetual's mark at the BTC close (no basis), time at the close (d + 1, 00:00 UTC). The stablecoin's sigma is the
 * {@link DailyEwmaVolatility} (lambda 0.94, seeded with 30 returns) of its own closes from the start of its file up to
 * and including day d, given to the risk core as the stablecoin's flat vol (the input a live engine would feed); no
 * ADV is given (the Yahoo volumes are aggregated turnover, not a venue's), so the size term is 0. Both runs see the
 * same snapshots and differ only in {@link MarginParameters#dynamicHaircut()}.
 *
 * <p>Parameters: MODEL.md's defaults with the replayed stablecoin in the stablecoin list and, for a coin without its
 * own entry (UST), the USDC/USDT haircut tiers (0 up to 50M USD, 1% above), as a venue listing it as a stablecoin
 * would have had. Stateless; {@link #run} reads the files each time.
 */
public final class StablecoinCollateralReplay {
    /** The BTC close file of {@code ../shared/data/market}. */
    public static final String BTC_FILE = "btc_usdt_binance_1d.csv";
    /** The perpetual shorted. */
    public static final String PERPETUAL = "BTC_USDC-PERPETUAL";

    private StablecoinCollateralReplay() {
    }

    /**
     * One replay to run.
     *
     * @param stablecoin      the collateral's asset code (UST, USDC)
     * @param file            its daily close file in the data folder
     * @param from            the first day replayed (the position is opened at that day's BTC close)
     * @param to              the last day replayed
     * @param collateralUnits the stablecoin balance, units
     * @param shortNotionalUsd the perpetual's short notional at the first day's close, USD
     */
    public record Scenario(String stablecoin, String file, LocalDate from, LocalDate to, double collateralUnits,
                           double shortNotionalUsd) {
    }

    /**
     * One day of one run.
     *
     * @param date             the day (figures at its close)
     * @param btc              BTC close, USD
     * @param stablecoinPrice  the stablecoin's close, USD
     * @param sigma            the stablecoin's EWMA sigma, annualised (NaN before the seed)
     * @param haircut          the haircut rate applied to the stablecoin balance
     * @param haircutTerm      the term that set it
     * @param equity           equity, USD
     * @param maintenanceMargin MM, USD
     * @param initialMargin    IM, USD
     * @param status           the account's status
     */
    public record Day(LocalDate date, double btc, double stablecoinPrice, double sigma, double haircut,
                      String haircutTerm, double equity, double maintenanceMargin, double initialMargin,
                      AccountStatus status) {
    }

    /**
     * One run (static or dynamic).
     *
     * @param days            its days, in order
     * @param firstRestricted the first day whose status is restricted or worse, or null
     * @param firstLiquidation the first day whose status is liquidation or bankrupt, or null
     */
    public record Run(List<Day> days, LocalDate firstRestricted, LocalDate firstLiquidation) {
        /** The equity at the last day, USD. */
        public double finalEquity() {
            return days.get(days.size() - 1).equity();
        }
    }

    /**
     * The two runs of a scenario.
     *
     * @param scenario     the scenario
     * @param perpSize     the perpetual's size, BTC (negative: short)
     * @param entryPrice   its entry price, USD
     * @param staticTiers  the run with the tiered haircut only
     * @param dynamic      the run with the dynamic haircut
     */
    public record Result(Scenario scenario, double perpSize, double entryPrice, Run staticTiers, Run dynamic) {
    }

    /** The parameters of a run: defaults, the stablecoin listed as one (with the USDC tiers if it has no entry). */
    public static MarginParameters parameters(String stablecoin, boolean dynamic) {
        MarginParameters d = MarginParameters.defaults();
        List<String> coins = new ArrayList<>(d.stablecoins());
        if (!coins.contains(stablecoin)) {
            coins.add(stablecoin);
        }
        MarginParameters.Builder b = d.toBuilder().stablecoins(coins)
            .dynamicHaircut(dynamic ? DynamicHaircutParameters.defaults() : DynamicHaircutParameters.off());
        if (!d.assets().containsKey(stablecoin)) {
            HaircutSchedule usdcTiers = d.asset("USDC").haircut();
            b.asset(stablecoin, a -> a.haircut(usdcTiers));
        }
        return b.build();
    }

    /**
     * Runs a scenario on the data folder.
     *
     * @throws InputException naming the file when a file is missing or malformed, or the window when the files do not
     *                        cover it
     */
    public static Result run(Path dataDir, Scenario s) {
        TreeMap<LocalDate, Double> btc = CloseSeries.read(dataDir.resolve(BTC_FILE), CloseSeries.TimeColumn.DATE)
            .closesByDate();
        TreeMap<LocalDate, Double> coin = CloseSeries.read(dataDir.resolve(s.file()), CloseSeries.TimeColumn.DATE)
            .closesByDate();
        if (!coin.containsKey(s.from()) || !coin.containsKey(s.to()) || !btc.containsKey(s.from())
            || !btc.containsKey(s.to())) {
            throw new InputException(s.file(), "does not cover " + s.from() + " to " + s.to() + " (it has "
                + coin.firstKey() + " to " + coin.lastKey() + ")");
        }
        double entry = btc.get(s.from());
        double size = -s.shortNotionalUsd() / entry;
        Perpetual perp = (Perpetual) InstrumentNames.parse(PERPETUAL, PERPETUAL);
        Portfolio account = new Portfolio("stablecoin-collateral", Map.of(s.stablecoin(), s.collateralUnits()),
            List.of(Position.of(perp, size, entry, "positions[0]")));
        MarginParameters staticParams = parameters(s.stablecoin(), false);
        MarginParameters dynamicParams = parameters(s.stablecoin(), true);
        DailyEwmaVolatility ewma = DailyEwmaVolatility.riskMetrics();
        List<Day> staticDays = new ArrayList<>();
        List<Day> dynamicDays = new ArrayList<>();
        for (Map.Entry<LocalDate, Double> e : coin.headMap(s.to(), true).entrySet()) {
            LocalDate date = e.getKey();
            long closeTime = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - 1;
            ewma.add(closeTime, e.getValue());
            if (date.isBefore(s.from())) {
                continue;
            }
            Double b = btc.get(date);
            if (b == null) {
                throw new InputException(BTC_FILE, "has no close on " + date);
            }
            double sigma = ewma.annualisedVolatility();
            MarketSnapshot.Builder m = MarketSnapshot.builder(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                .price("BTC", b).price(s.stablecoin(), e.getValue()).mark(PERPETUAL, b);
            if (!s.stablecoin().equals("USDC")) {
                m.price("USDC", 1.0);
            }
            if (!Double.isNaN(sigma)) {
                m.flatVol(s.stablecoin(), sigma);
            }
            MarketSnapshot market = m.build();
            staticDays.add(day(date, b, e.getValue(), sigma, MarginCalculator.report(market, account, staticParams),
                s.stablecoin()));
            dynamicDays.add(day(date, b, e.getValue(), sigma, MarginCalculator.report(market, account, dynamicParams),
                s.stablecoin()));
        }
        return new Result(s, size, entry, run(staticDays), run(dynamicDays));
    }

    private static Day day(LocalDate date, double btc, double price, double sigma, MarginReport r, String coin) {
        MarginReport.BalanceLine line = r.balances().stream().filter(l -> l.asset().equals(coin)).findFirst()
            .orElseThrow();
        return new Day(date, btc, price, sigma, line.haircut(), line.haircutTerm(), r.equity(), r.maintenanceMargin(),
            r.initialMargin(), r.status());
    }

    private static Run run(List<Day> days) {
        LocalDate restricted = null;
        LocalDate liquidation = null;
        for (Day d : days) {
            if (restricted == null && d.status() != AccountStatus.HEALTHY) {
                restricted = d.date();
            }
            if (liquidation == null && (d.status() == AccountStatus.LIQUIDATION || d.status() == AccountStatus.BANKRUPT)) {
                liquidation = d.date();
            }
        }
        return new Run(List.copyOf(days), restricted, liquidation);
    }
}
