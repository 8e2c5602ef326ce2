/**
 * Bad-input signalling shared by every module: {@link io.upm.input.InputException} names the field
 * at fault so that the CLI and the HTTP API can report it in one line (FORMATS.md, Errors). The options of
 * the parameter sets are declared once each as a {@link io.upm.input.NumberOption} (key, unit, default,
 * {@link io.upm.input.ValueRange}), which words a value out of range the same way everywhere.
 */
package io.upm.input;
