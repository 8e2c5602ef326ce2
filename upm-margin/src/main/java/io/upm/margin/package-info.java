/**
 * Portfolio margin (MODEL.md): risk arrays shared across accounts, per-account unit matrices and
 * charges, the correlation-aware cross-unit charge, collateral and requirements, the siloed baseline,
 * reports and what-if checks.
 */
package io.upm.margin;
