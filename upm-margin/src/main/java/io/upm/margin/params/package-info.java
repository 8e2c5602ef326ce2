/**
 * The margin methodology's parameters, with MODEL.md's values as defaults: each option defined once (key,
 * unit, default, range), built with {@link io.upm.margin.params.MarginParameters#builder()} and validated on
 * construction, so that no invalid parameters exist.
 */
package io.upm.margin.params;
