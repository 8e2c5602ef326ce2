package io.upm.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the CLI's readable output: a header of column names, an optional second header
 * line of units ({@code USD}, {@code BTC}, {@code USD/day}), then rows. Numeric columns are right-aligned,
 * so numbers formatted with the same number of decimals line up on their decimal points; text columns are
 * left-aligned. Columns are separated by two spaces and each line starts with the table's indent.
 *
 * <p>A mutable builder used by one thread for one rendering.
 */
final class TextTable {
    private record Column(String name, String unit, boolean right) {
    }

    private final String indent;
    private final List<Column> columns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** A table whose lines start with {@code indent}. */
    TextTable(String indent) {
        this.indent = indent;
    }

    /** Adds a left-aligned text column (a label, an instrument name). */
    TextTable text(String name) {
        columns.add(new Column(name, "", false));
        return this;
    }

    /** Adds a right-aligned column of numbers in {@code unit} (shown on the header's second line). */
    TextTable number(String name, String unit) {
        columns.add(new Column(name, unit, true));
        return this;
    }

    /** Adds a row; it must have one cell per column. */
    TextTable row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /** The table, each line ending in a newline, trailing spaces removed. */
    String render() {
        int n = columns.size();
        int[] width = new int[n];
        boolean units = false;
        for (int c = 0; c < n; c++) {
            Column col = columns.get(c);
            width[c] = Math.max(col.name().length(), col.unit().length());
            units |= !col.unit().isEmpty();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        String[] names = new String[n];
        String[] unitCells = new String[n];
        for (int c = 0; c < n; c++) {
            names[c] = columns.get(c).name();
            unitCells[c] = columns.get(c).unit();
        }
        line(b, names, width);
        if (units) {
            line(b, unitCells, width);
        }
        for (String[] r : rows) {
            line(b, r, width);
        }
        return b.toString();
    }

    private void line(StringBuilder b, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                l.append("  ");
            }
            String s = cells[c];
            String pad = " ".repeat(width[c] - s.length());
            l.append(columns.get(c).right() ? pad + s : s + pad);
        }
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        b.append(l, 0, end).append('\n');
    }
}
