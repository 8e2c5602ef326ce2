/**
 * Product definitions: instruments as plain immutable data (perpetuals, futures, European options,
 * linear or inverse), parsed from Deribit-style names. No pricing here; see {@code io.upm.pricing}.
 */
package io.upm.product;
