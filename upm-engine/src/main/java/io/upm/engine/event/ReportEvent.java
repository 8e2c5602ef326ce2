package io.upm.engine.event;

import io.upm.margin.MarginReport;
import java.util.Objects;

/**
 * {@code report}: the answer to a {@code report} command, the account's margin report (FORMATS.md) whose IM and
 * status count its positions only, and what its resting orders hold on top.
 *
 * @param seq                     the {@code report} command's journal position
 * @param report                  the margin report
 * @param openOrdersInitialMargin the IM the account's resting orders add, USD
 */
public record ReportEvent(long seq, MarginReport report, double openOrdersInitialMargin) implements Event {
    /** Checks the required fields. */
    public ReportEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(report, "report");
    }

    @Override
    public EventType type() {
        return EventType.REPORT;
    }
}
