/**
 * Stablecoin-collateral replays (issue 8, part 4): an account holding a stablecoin as collateral against a short BTC
 * perpetual, replayed day by day through the risk core on real closes with the static tier haircuts of MODEL.md
 * section 6 and with the dynamic haircuts of section 10 ({@link io.upm.backtest.haircut.StablecoinCollateralReplay}),
 * and its chart ({@link io.upm.backtest.haircut.StablecoinReplayChart}).
 */
package io.upm.backtest.haircut;
