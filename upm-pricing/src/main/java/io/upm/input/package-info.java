/**
 * Bad-input signalling shared by every module: {@link io.upm.input.InputException} names the field
 * at fault so that the CLI and the HTTP API can report it in one line (FORMATS.md, Errors).
 */
package io.upm.input;
