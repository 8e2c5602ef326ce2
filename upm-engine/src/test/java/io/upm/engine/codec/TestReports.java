package io.upm.engine.codec;

import io.upm.formats.MarketReader;
import io.upm.formats.PortfolioReader;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;

/** A real margin report (options, a perpetual, two units, a loan) for the tests of the report event. */
final class TestReports {
    static final MarketSnapshot MARKET = MarketReader.read("""
        {"time": "2025-11-25T08:00:00Z",
         "prices": {"BTC": 90000, "ETH": 3000, "USDC": 1.0},
         "forwards": {"BTC": {"27MAR26": 92100}},
         "marks": {"BTC-PERPETUAL": 90040},
         "vols": {"BTC": {"26DEC25": {"80000": 0.62, "90000": 0.55, "100000": 0.53}, "27MAR26": {"90000": 0.58}},
                  "ETH": {"flat": 0.70}},
         "correlations": {"BTC/ETH": 0.82},
         "adv": {"BTC": 25000000000},
         "rate": 0.0}""", "market");
    static final MarginReport REPORT = MarginCalculator.report(MARKET, PortfolioReader.read("""
        {"account": "acct-7",
         "balances": {"BTC": 2.5, "USDC": 150000, "ETH": -10},
         "positions": [
           {"instrument": "BTC-PERPETUAL", "size": -100000, "entryPrice": 91000},
           {"instrument": "BTC-26DEC25-100000-C", "size": -3},
           {"instrument": "ETH_USDC-26DEC25-3500-P", "size": 20}]}""", "portfolio"), MarginParameters.defaults());

    private TestReports() {
    }
}
