/**
 * Pricing: the Black-76 formula with its Greeks, implied-vol inversion, and instruments resolved
 * against a market snapshot that price themselves per unit of size (MODEL.md section 2). Stateless
 * routines; the hot ones allocate nothing.
 */
package io.upm.pricing;
