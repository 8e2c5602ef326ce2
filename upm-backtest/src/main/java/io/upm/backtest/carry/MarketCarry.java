package io.upm.backtest.carry;

import io.upm.backtest.strategy.DeribitExpiries;
import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.product.ExpiryCodes;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.product.Settlement;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Real carry for the backtests (docs/validation.md, "Carry"): what the data of ../shared/data/market say about
 * the perpetual and what a documented model says about dated futures.
 *
 * <ul>
 *   <li><b>Funding</b>: a perpetual position pays, at each funding time in the horizon, the period's rate times
 *       its notional (MODEL.md section 12: longs pay when the rate is positive; linear: {@code rate x size x mark},
 *       inverse: {@code rate x size / mark} coins, worth {@code rate x size x S / mark} USD). The notional is
 *       taken at the mark and index of the start of the horizon (the daily data have no price at 08:00 and
 *       16:00; the error is the rate times the move, below 1e-5 of the notional on 99.9% of days). BTC's rates
 *       are Binance's USDT-margined perpetual (from 2019-09-10) and BitMEX's XBTUSD before that; ETH and SOL
 *       have no funding data and pay none.</li>
 *   <li><b>Perpetual-to-index basis</b>: the perpetual's mark is the index plus the basis in USD of the last
 *       completed day, where Binance's daily basis file has one (BTC, 2024-07-19 on); the index elsewhere.</li>
 *   <li><b>Basis model of dated futures</b>: the forward of an expiry T seen at t is
 *       {@code F = S exp(b_t (T - t))} (T - t in years of 365 days), with the annualised basis rate
 *       {@code b_t = (365 / }{@value #BASIS_WINDOW_DAYS}{@code ) x} the sum of the perpetual's funding rates over
 *       the {@value #BASIS_WINDOW_DAYS} days to t, kept within +-{@value #MAX_ANNUAL_BASIS_RATE}: the expectation that funding goes on at its recent average
 *       (a future is the perpetual held to T plus its funding). No futures curve is in the data to check it
 *       against; b is 0 where the window is not covered by funding data (ETH, SOL). Forwards are given for
 *       every Friday 08:00 UTC expiry within {@value #FRIDAY_HORIZON_DAYS} days and the next
 *       {@value #QUARTERLIES} quarterlies; any other expiry stays at the index (flat).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class MarketCarry {
    /** BTC funding of Binance's USDT-margined perpetual, 8-hourly, 2019-09-10 on. */
    public static final String BINANCE_FUNDING_FILE = "btc_funding_binance_usdtperp_8h.csv";
    /** BTC funding of BitMEX's XBTUSD, 8-hourly, 2016-05-14 to 2020-11-05: used before Binance's first period. */
    public static final String BITMEX_FUNDING_FILE = "btc_funding_bitmex_xbtusd_8h.csv";
    /** Binance BTCUSDT perpetual basis (perpetual minus index, USD), daily, 2024-07-19 on. */
    public static final String PERPETUAL_BASIS_FILE = "btc_basis_binance_perp_1d.csv";
    /** Days of funding averaged into the annualised basis rate of the futures. */
    public static final int BASIS_WINDOW_DAYS = 30;
    /** Friday expiries within this many days get a forward. */
    public static final int FRIDAY_HORIZON_DAYS = 45;
    /** Quarterly expiries that get a forward. */
    public static final int QUARTERLIES = 4;
    /**
     * Largest absolute annualised basis rate of the model (50% a year): the trailing funding of a squeeze, taken
     * as the rate of a whole year, would otherwise put a one-year future at half or twice the index (BitMEX's
     * funding of late 2018 annualises to -70%); quarterly basis on the big venues stayed within about this.
     */
    public static final double MAX_ANNUAL_BASIS_RATE = 0.5;
    /** Days in a year for annualising the funding. */
    public static final double DAYS_PER_YEAR = 365.0;

    private static final long DAY_MILLIS = 86_400_000L;

    private final Map<String, FundingSeries> funding;
    private final Map<String, TreeMap<LocalDate, Double>> perpetualBasisUsd;

    private MarketCarry(Map<String, FundingSeries> funding, Map<String, TreeMap<LocalDate, Double>> basis) {
        this.funding = funding;
        this.perpetualBasisUsd = basis;
    }

    /**
     * Carry from the given funding series and daily perpetual basis (USD, perpetual minus index, by date), per
     * asset; an asset absent from a map has no funding or no basis.
     */
    public static MarketCarry of(Map<String, FundingSeries> funding, Map<String, ? extends Map<LocalDate, Double>> basisUsd) {
        Map<String, TreeMap<LocalDate, Double>> b = new TreeMap<>();
        basisUsd.forEach((asset, m) -> {
            m.forEach((d, v) -> {
                if (!Double.isFinite(v)) {
                    throw new InputException("basis." + asset + "." + d, "must be finite, got " + v);
                }
            });
            b.put(asset, new TreeMap<>(m));
        });
        return new MarketCarry(Collections.unmodifiableMap(new TreeMap<>(funding)), Collections.unmodifiableMap(b));
    }

    /**
     * The carry of ../shared/data/market: {@value #BINANCE_FUNDING_FILE} after {@value #BITMEX_FUNDING_FILE} for
     * BTC, and {@value #PERPETUAL_BASIS_FILE}.
     *
     * @throws InputException naming the file (line, column) when one is missing or malformed
     */
    public static MarketCarry load(Path dir) {
        FundingSeries btc = FundingSeries.read(dir.resolve(BINANCE_FUNDING_FILE))
            .after(FundingSeries.read(dir.resolve(BITMEX_FUNDING_FILE)));
        return of(Map.of("BTC", btc), Map.of("BTC", readBasis(dir.resolve(PERPETUAL_BASIS_FILE))));
    }

    /** The funding series of {@code asset}, or null. */
    public FundingSeries funding(String asset) {
        return funding.get(asset);
    }

    /**
     * The annualised basis rate b_t of {@code asset}'s futures at {@code t}: 365 / {@value #BASIS_WINDOW_DAYS} times
     * the sum of the funding rates in {@code (t - }{@value #BASIS_WINDOW_DAYS}{@code  days, t]}; 0 when the
     * asset has no funding or the data do not cover the whole window (a day of slack at each end); kept within
     * +-{@value #MAX_ANNUAL_BASIS_RATE}.
     */
    public double annualBasisRate(String asset, Instant t) {
        FundingSeries f = funding.get(asset);
        if (f == null) {
            return 0.0;
        }
        long to = t.toEpochMilli();
        long from = to - BASIS_WINDOW_DAYS * DAY_MILLIS;
        if (f.firstMillis() > from + DAY_MILLIS || f.lastMillis() < to - DAY_MILLIS) {
            return 0.0;
        }
        double b = f.sum(from, to) * DAYS_PER_YEAR / BASIS_WINDOW_DAYS;
        return Math.max(-MAX_ANNUAL_BASIS_RATE, Math.min(MAX_ANNUAL_BASIS_RATE, b));
    }

    /** The model forward {@code index x exp(b_t x (expiry - t) / 1 year)}; the index at or after the expiry. */
    public double forward(String asset, double index, Instant t, Instant expiry) {
        double years = Math.max(0L, Duration.between(t, expiry).getSeconds()) / MarketSnapshot.SECONDS_PER_YEAR;
        return index * Math.exp(annualBasisRate(asset, t) * years);
    }

    /**
     * The perpetual's basis in USD (mark minus index) known at {@code t}: the value of the last day completed at
     * {@code t} (the day whose close, the next midnight UTC, is at or before t); 0 when the data have none.
     */
    public double perpetualBasisUsd(String asset, Instant t) {
        TreeMap<LocalDate, Double> b = perpetualBasisUsd.get(asset);
        if (b == null) {
            return 0.0;
        }
        LocalDate completed = LocalDate.ofInstant(t.minusMillis(DAY_MILLIS), ZoneOffset.UTC);
        Double v = b.get(completed);
        return v == null ? 0.0 : v;
    }

    /**
     * The USD the holdings' perpetuals pay in funding at the funding times in {@code (market.time(), to]}
     * (negative: they receive), with each notional at {@code market}'s mark and index.
     */
    public double fundingPaid(Portfolio portfolio, MarketSnapshot market, Instant to) {
        double paid = 0.0;
        long from = market.time().toEpochMilli();
        for (Position p : portfolio.positions()) {
            if (!(p.instrument() instanceof Perpetual perp)) {
                continue;
            }
            FundingSeries f = funding.get(perp.underlying());
            if (f == null) {
                continue;
            }
            double rates = f.sum(from, to.toEpochMilli());
            if (rates == 0.0) {
                continue;
            }
            double mark = market.perpetualMark(perp);
            double notionalUsd = perp.settlement() == Settlement.INVERSE
                ? p.size() * market.priceOrNaN(perp.underlying()) / mark
                : p.size() * mark;
            paid += rates * notionalUsd;
        }
        return paid;
    }

    /** The expiries that get a model forward at {@code t}: Fridays within {@value #FRIDAY_HORIZON_DAYS} days, quarterlies. */
    public static List<Instant> forwardExpiries(Instant t) {
        TreeSet<Instant> out = new TreeSet<>();
        Instant friday = DeribitExpiries.fridayNearest(t, 0.0);
        Instant last = t.plus(Duration.ofDays(FRIDAY_HORIZON_DAYS));
        for (Instant e = friday; !e.isAfter(last); e = e.plus(Duration.ofDays(7))) {
            if (e.isAfter(t)) {
                out.add(e);
            }
        }
        for (int k = 0; k < QUARTERLIES; k++) {
            out.add(DeribitExpiries.quarterly(t, 0.0, k));
        }
        return new ArrayList<>(out);
    }

    /**
     * Adds {@code asset}'s carry to a snapshot at {@code t} whose index is {@code index}: the model forwards of
     * {@link #forwardExpiries} and, where a basis is known, the marks of its linear and inverse perpetuals.
     */
    public void addTo(MarketSnapshot.Builder b, String asset, double index, Instant t) {
        if (annualBasisRate(asset, t) != 0.0) {
            for (Instant e : forwardExpiries(t)) {
                b.forward(asset, ExpiryCodes.format(e), forward(asset, index, t, e));
            }
        }
        double basis = perpetualBasisUsd(asset, t);
        if (basis != 0.0 && index + basis > 0) {
            b.mark(asset + "_USDC-PERPETUAL", index + basis);
            b.mark(asset + "-PERPETUAL", index + basis);
        }
    }

    /** Reads {@code date,basis_usd} rows: strictly increasing dates, finite values. */
    static TreeMap<LocalDate, Double> readBasis(Path file) {
        String name = file.toString();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        TreeMap<LocalDate, Double> out = new TreeMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String column : new String[] {"date", "basis_usd"}) {
                if (header == null || !header.containsKey(column)) {
                    throw new InputException(name + ":1", "missing column \"" + column + "\"");
                }
            }
            LocalDate previous = null;
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                LocalDate d;
                try {
                    d = LocalDate.parse(r.get("date"));
                } catch (DateTimeParseException e) {
                    throw new InputException(name + ":" + line + ":date", "not a date YYYY-MM-DD: \"" + r.get("date") + "\"");
                }
                if (previous != null && !d.isAfter(previous)) {
                    throw new InputException(name + ":" + line + ":date", "dates must increase: " + d + " after " + previous);
                }
                previous = d;
                double v;
                try {
                    v = Double.parseDouble(r.get("basis_usd"));
                } catch (NumberFormatException e) {
                    throw new InputException(name + ":" + line + ":basis_usd", "not a number: \"" + r.get("basis_usd") + "\"");
                }
                if (!Double.isFinite(v)) {
                    throw new InputException(name + ":" + line + ":basis_usd", "must be finite: " + v);
                }
                out.put(d, v);
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name, "file not found");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new InputException(name, "cannot read: " + e.getMessage());
        }
        return out;
    }
}
