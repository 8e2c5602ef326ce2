package io.upm.formats;

import io.upm.margin.WhatIf;

/**
 * Writes a {@link WhatIf} as JSON:
 * {@code {"before": <report>, "after": <report>, "change": {"maintenanceMargin": .., "initialMargin": ..},
 * "accepted": true, "reason": "..."}}, each report in {@link MarginReportWriter}'s shape, pretty-printed
 * with a fixed member order and a final newline. A non-finite number is a bug and throws
 * {@link IllegalStateException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class WhatIfWriter {
    private WhatIfWriter() {
    }

    /**
     * The what-if as a JSON document.
     *
     * @throws IllegalStateException if any number is NaN or infinite
     */
    public static String toJson(WhatIf whatIf) {
        JsonOutput out = JsonOutput.pretty();
        out.startObject();
        out.fieldName("before");
        MarginReportWriter.write(out, whatIf.before());
        out.fieldName("after");
        MarginReportWriter.write(out, whatIf.after());
        out.startObject("change")
            .number("maintenanceMargin", whatIf.maintenanceMarginChange())
            .number("initialMargin", whatIf.initialMarginChange())
            .endObject();
        out.bool("accepted", whatIf.accepted())
            .string("reason", whatIf.reason())
            .endObject();
        return out.finish();
    }
}
