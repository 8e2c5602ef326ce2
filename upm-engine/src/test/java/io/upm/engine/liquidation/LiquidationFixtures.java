package io.upm.engine.liquidation;

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

/** The synthetic venue as risk arrays and engine account states, for the liquidation tests. */
final class LiquidationFixtures {
    static final SyntheticVenue VENUE = SyntheticVenue.create(2027L);
    static final RiskArrays ARRAYS = RiskArrays.build(VENUE.market(), MarginParameters.defaults(), VENUE.universe(),
        VENUE.universe().stream().map(Instrument::name).toList());
    static final double[] VOL = UnitVolatility.fromSnapshot(ARRAYS);

    private LiquidationFixtures() {
    }

    /** A portfolio as an engine account (a repeated instrument keeps its first position). */
    static AccountState state(Portfolio p, RiskArrays arrays) {
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
        return s;
    }

    /** The venue's accounts {@code acct-0..count-1} of a seed as engine accounts. */
    static List<AccountState> accounts(int count, long seed) {
        List<AccountState> out = new ArrayList<>();
        for (Portfolio p : VENUE.accounts(count, seed)) {
            out.add(state(p, ARRAYS));
        }
        return out;
    }

    /** Equity and MM of an account by a full compute. */
    static double[] figures(AccountMarginCalculator calc, AccountState s) {
        double mm = calc.compute(ARRAYS, s.resolve(ARRAYS), -1);
        return new double[] {calc.equity(), mm};
    }

    /** Every balance and position of an account, bits of the doubles included, in a canonical text. */
    static String dump(AccountState s, RiskArrays arrays) {
        StringBuilder b = new StringBuilder(s.account()).append(':');
        java.util.TreeMap<String, String> rows = new java.util.TreeMap<>();
        for (int k = 0; k < s.balanceCount(); k++) {
            rows.put("b " + arrays.asset(s.balanceAsset(k)), Long.toHexString(Double.doubleToLongBits(s.balanceAmount(k))));
        }
        for (int k = 0; k < s.positionCount(); k++) {
            int i = s.positionInstrument(k);
            rows.put("p " + arrays.instrument(i).instrument().name(), Long.toHexString(Double.doubleToLongBits(s.positionSize(i)))
                + "@" + Long.toHexString(Double.doubleToLongBits(s.entryPrice(i))));
        }
        rows.forEach((k, v) -> b.append(k).append('=').append(v).append(';'));
        return b.toString();
    }
}
