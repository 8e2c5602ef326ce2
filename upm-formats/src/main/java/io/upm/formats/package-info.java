/**
 * UPM's public JSON contract (FORMATS.md, version 1): readers of its input documents and writers of its
 * output documents, shared by the CLI and the HTTP API.
 *
 * <p>Input: {@link io.upm.formats.PortfolioReader} (portfolio), {@link io.upm.formats.MarketReader}
 * (market snapshot) and {@link io.upm.formats.ParametersReader} (margin parameters, JSON or YAML). They
 * are strict, because a typo must never be silently ignored in a risk system: unknown fields, missing
 * required fields, wrong JSON types, duplicate keys, NaN or Infinity literals, numbers that overflow a
 * double, content after the document and empty documents are all rejected. Every rejection is an
 * {@link io.upm.input.InputException} whose {@code field()} is the path of the offending value in the
 * document ({@code positions[1].instrument}, {@code vols.BTC.27MAR26.90000}, {@code ""} for the document
 * as a whole) and whose {@code problem()} says what is wrong; syntax errors carry the line and column.
 * {@link io.upm.formats.ErrorLine} turns one into the CLI's stderr line or the HTTP API's error body.
 * Nothing is changed by a rejected document: readers only build new immutable values.
 *
 * <p>The strictness lives in two public classes, so that readers of other documents (the backtest settings
 * of upm-backtest, for one) reject the same things with the same messages: {@link io.upm.formats.DocumentParser}
 * reads a file's UTF-8 text, picks JSON or YAML and parses it to a Jackson tree, and
 * {@link io.upm.formats.TreeFields} reads typed values (required or optional) from that tree, checking types,
 * keys and finiteness.
 *
 * <p>Output: {@link io.upm.formats.MarginReportWriter} (margin report), {@link io.upm.formats.WhatIfWriter}
 * (what-if) and {@link io.upm.formats.ParametersWriter} (parameters in effect). They write full-precision
 * numbers (shortest round-trip form, never rounded), members in a fixed order, pretty-printed with a final
 * newline, and refuse with {@link java.lang.IllegalStateException} to write a NaN or infinity, which
 * would be a bug upstream. {@link io.upm.formats.MarginReportReader} reads a report back, for round trips.
 *
 * <p>Parsing uses Jackson's streaming parser and tree model; all classes are stateless and thread-safe.
 * Readers and writers are not on the margin hot path: they run once per document.
 */
package io.upm.formats;
