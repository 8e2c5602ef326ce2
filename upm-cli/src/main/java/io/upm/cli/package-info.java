/**
 * The {@code upm} command line: a thin edge that reads FORMATS.md documents, calls the margin core and
 * prints JSON or tables. Bad input exits with status 2 and one line naming the file and the field.
 */
package io.upm.cli;
