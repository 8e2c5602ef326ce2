package io.upm.margin.account;

import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account's state as fills, deposits and settlements change it: balances by asset index and one position per
 * instrument index (signed size and entry price; NaN entry for options), in primitive arrays, apart from the
 * products. The risk core reads it through {@link #resolve}, which puts it in canonical order once per change and
 * caches the result, so a price tick re-margins it without any rebuilding.
 *
 * <p>Mutable and single-threaded: owned by the writer thread that owns the account. Indices are those of a
 * {@link RiskArrays} universe (stable across its {@code withMarket} and {@code withInstruments}).
 */
public final class AccountState {
    private final String account;
    private int[] instrument = new int[4];
    private double[] size = new double[4];
    private double[] entry = new double[4];
    private int positions;
    private int[] asset = new int[4];
    private double[] amount = new double[4];
    private int balances;
    private ResolvedPortfolio resolved;
    private RiskArrays resolvedFor;

    /** An empty account. */
    public AccountState(String account) {
        this.account = account;
    }

    /** The account id. */
    public String account() {
        return account;
    }

    /** The balance of an asset (0 when none). */
    public double balance(int assetIndex) {
        int b = findBalance(assetIndex);
        return b < 0 ? 0.0 : amount[b];
    }

    /** Adds {@code delta} to a balance (a balance that becomes exactly 0 is removed). */
    public void addBalance(int assetIndex, double delta) {
        if (delta == 0.0) {
            return;
        }
        int b = findBalance(assetIndex);
        if (b < 0) {
            if (balances == asset.length) {
                asset = Arrays.copyOf(asset, balances * 2);
                amount = Arrays.copyOf(amount, balances * 2);
            }
            asset[balances] = assetIndex;
            amount[balances] = delta;
            balances++;
        } else {
            amount[b] += delta;
            if (amount[b] == 0.0) {
                balances--;
                asset[b] = asset[balances];
                amount[b] = amount[balances];
            }
        }
        resolved = null;
    }

    /** The signed size of the position in an instrument (0 when none). */
    public double positionSize(int instrumentIndex) {
        int k = findPosition(instrumentIndex);
        return k < 0 ? 0.0 : size[k];
    }

    /** The entry price of the position in an instrument (NaN when none, or for an option). */
    public double entryPrice(int instrumentIndex) {
        int k = findPosition(instrumentIndex);
        return k < 0 ? Double.NaN : entry[k];
    }

    /** Sets the position in an instrument; a size of 0 removes it. */
    public void setPosition(int instrumentIndex, double signedSize, double entryPrice) {
        int k = findPosition(instrumentIndex);
        if (signedSize == 0.0) {
            if (k >= 0) {
                positions--;
                instrument[k] = instrument[positions];
                size[k] = size[positions];
                entry[k] = entry[positions];
                resolved = null;
            }
            return;
        }
        if (k < 0) {
            if (positions == instrument.length) {
                instrument = Arrays.copyOf(instrument, positions * 2);
                size = Arrays.copyOf(size, positions * 2);
                entry = Arrays.copyOf(entry, positions * 2);
            }
            k = positions++;
            instrument[k] = instrumentIndex;
        }
        size[k] = signedSize;
        entry[k] = entryPrice;
        resolved = null;
    }

    /** Number of positions. */
    public int positionCount() {
        return positions;
    }

    /** Instrument index of position k (storage order, not canonical). */
    public int positionInstrument(int k) {
        return instrument[k];
    }

    /** Number of balances. */
    public int balanceCount() {
        return balances;
    }

    /** Asset index of balance b (storage order). */
    public int balanceAsset(int b) {
        return asset[b];
    }

    /** Amount of balance b (storage order). */
    public double balanceAmount(int b) {
        return amount[b];
    }

    /** The account in canonical order for the risk core; cached until the account or the universe object changes. */
    public ResolvedPortfolio resolve(RiskArrays arrays) {
        if (resolved == null || resolvedFor != arrays) {
            resolved = ResolvedPortfolio.of(account, arrays, instrument, size, entry, positions, asset, amount, balances);
            resolvedFor = arrays;
        }
        return resolved;
    }

    /** The account as a FORMATS.md portfolio (names from the universe), e.g. to check it with {@code upm margin}. */
    public Portfolio toPortfolio(RiskArrays arrays) {
        Map<String, Double> b = new TreeMap<>();
        for (int k = 0; k < balances; k++) {
            b.put(arrays.asset(asset[k]), amount[k]);
        }
        List<Position> ps = new ArrayList<>(positions);
        for (int k = 0; k < positions; k++) {
            ps.add(Position.of(arrays.instrument(instrument[k]).instrument(), size[k], entry[k], "positions[" + k + "]"));
        }
        ps.sort((x, y) -> x.instrument().name().compareTo(y.instrument().name()));
        return new Portfolio(account, b, ps);
    }

    /** An independent copy (for checks that apply a change to a copy first). */
    public AccountState copy() {
        AccountState c = new AccountState(account);
        c.instrument = instrument.clone();
        c.size = size.clone();
        c.entry = entry.clone();
        c.positions = positions;
        c.asset = asset.clone();
        c.amount = amount.clone();
        c.balances = balances;
        return c;
    }

    private int findBalance(int assetIndex) {
        for (int b = 0; b < balances; b++) {
            if (asset[b] == assetIndex) {
                return b;
            }
        }
        return -1;
    }

    private int findPosition(int instrumentIndex) {
        for (int k = 0; k < positions; k++) {
            if (instrument[k] == instrumentIndex) {
                return k;
            }
        }
        return -1;
    }
}
