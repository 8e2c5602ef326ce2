package io.upm.hedge;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The instruments a hedge may trade. By default, for each underlying of the account (its positions and its
 * non-stablecoin balances): the perpetuals whose marks the snapshot gives (else the linear {@code U_USDC-PERPETUAL}),
 * a linear future {@code U_USDC-<expiry>} at every expiry the snapshot gives a forward for, and, where the snapshot
 * quotes a vol slice by strike, a linear call and put at every quoted strike of every expiry after the snapshot time
 * ("listed options"). Linear (USDC-settled) contracts are chosen so that premiums and costs move the same USDC
 * balance; inverse instruments may be named explicitly.
 *
 * <p>Stateless; thread-safe.
 */
public final class HedgeCandidates {
    private HedgeCandidates() {
    }

    /**
     * The listed candidates.
     *
     * @param market         the snapshot
     * @param portfolio      the account
     * @param quotedStrikes  underlying to expiry code to the strikes its vol slice quotes (the snapshot file's
     *                       {@code vols}); may be empty (no options then)
     * @param allUnderlyings true: every underlying the snapshot prices (stablecoins and the stablecoin list aside),
     *                       not only the account's
     * @param stablecoins    the stablecoin codes (never an underlying)
     * @return the candidates in a canonical order (by name)
     */
    public static List<Instrument> listed(MarketSnapshot market, Portfolio portfolio,
                                          Map<String, ? extends Map<String, ? extends List<Double>>> quotedStrikes,
                                          boolean allUnderlyings, java.util.Collection<String> stablecoins) {
        TreeSet<String> underlyings = new TreeSet<>();
        if (allUnderlyings) {
            underlyings.addAll(market.prices().keySet());
        } else {
            for (Position p : portfolio.positions()) {
                underlyings.add(p.instrument().underlying());
            }
            for (var e : portfolio.balances().entrySet()) {
                if (e.getValue() != 0) {
                    underlyings.add(e.getKey());
                }
            }
        }
        underlyings.removeAll(stablecoins);
        TreeMap<String, Instrument> out = new TreeMap<>();
        Instant now = market.time();
        for (String u : underlyings) {
            if (!(market.priceOrNaN(u) > 0)) {
                continue;
            }
            boolean perp = false;
            for (String name : market.marks().keySet()) {
                Instrument ins = InstrumentNames.parse(name, "marks." + name);
                if (ins.underlying().equals(u)) {
                    out.put(name, ins);
                    perp = true;
                }
            }
            if (!perp) {
                add(out, u + "_USDC-PERPETUAL");
            }
            Map<Instant, Double> fwd = market.forwards().get(u);
            if (fwd != null) {
                for (Instant expiry : fwd.keySet()) {
                    if (expiry.isAfter(now)) {
                        add(out, u + "_USDC-" + ExpiryCodes.format(expiry));
                    }
                }
            }
            var slices = quotedStrikes.get(u);
            if (slices != null && market.volSurface(u) != null) {
                for (var slice : slices.entrySet()) {
                    Instant expiry = ExpiryCodes.parse(slice.getKey(), "vols." + u + "." + slice.getKey());
                    if (!expiry.isAfter(now)) {
                        continue;
                    }
                    for (double k : slice.getValue()) {
                        String stem = u + "_USDC-" + ExpiryCodes.format(expiry) + "-" + strike(k);
                        add(out, stem + "-C");
                        add(out, stem + "-P");
                    }
                }
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * Parses an explicit list of instrument names.
     *
     * @param field the input field, for errors ({@code instruments[k]})
     * @throws InputException if a name is malformed or listed twice
     */
    public static List<Instrument> parse(List<String> names, String field) {
        TreeMap<String, Instrument> out = new TreeMap<>();
        for (int k = 0; k < names.size(); k++) {
            String f = field + "[" + k + "]";
            Instrument ins = InstrumentNames.parse(names.get(k).trim(), f);
            if (out.put(ins.name(), ins) != null) {
                throw new InputException(f, "instrument " + ins.name() + " is listed twice");
            }
        }
        if (out.isEmpty()) {
            throw new InputException(field, "no instrument given");
        }
        return new ArrayList<>(out.values());
    }

    private static void add(TreeMap<String, Instrument> out, String name) {
        out.put(name, InstrumentNames.parse(name, name));
    }

    /** A strike as Deribit writes it: no trailing zeros, no exponent. */
    static String strike(double k) {
        return new BigDecimal(Double.toString(k)).stripTrailingZeros().toPlainString();
    }
}
