/**
 * Cross-venue portfolios (docs/venues.md): readers of each venue's own position and balance export (Deribit, OKX,
 * Binance, Bybit, in the shapes their public APIs return), the mapping of their instrument names and sizes onto
 * FORMATS.md's, the one portfolio document that spans them ({@code upm import}), and the per-venue margin beside
 * the unified one ({@code upm margin}'s {@code venues} section).
 *
 * <p>Everything here is stateless and thread-safe; bad input is an {@link io.upm.input.InputException} naming the
 * field of the export it came from.
 */
package io.upm.formats.venue;
