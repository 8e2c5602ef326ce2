/**
 * Presentation of backtests: the JSON and table writers of the summary, the chart (XChart, PNG or SVG) and
 * the terminal progress bar.
 */
package io.upm.backtest.report;
