/**
 * The quote feed of {@code upm feed}: the price files of a market-data folder ({@code ../shared/data/market})
 * as the live engine's {@code quote} commands (FORMATS.md), in time order, for replaying real history through
 * the multi-source index (MODEL.md section 9). {@link io.upm.backtest.feed.QuoteFeed} reads,
 * {@link io.upm.backtest.feed.FeedSeries} is the catalogue of the series a folder may hold,
 * {@link io.upm.backtest.feed.FeedQuote} one command. See docs/index.md.
 */
package io.upm.backtest.feed;
