/** The margin methodology's parameters, with MODEL.md's values as defaults. */
package io.upm.margin.params;
