package io.upm.backtest.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Friday 08:00 UTC expiries and the quarterlies, against the Deribit calendar. */
class DeribitExpiriesTest {

    @Test
    void theNearestFridayToThirtyDaysAhead() {
        // 2025-02-01 00:00 + 30 days = 2025-03-03 (Monday): nearest Friday 2025-02-28
        assertThat(DeribitExpiries.fridayNearest(Instant.parse("2025-02-01T00:00:00Z"), 30))
            .isEqualTo(Instant.parse("2025-02-28T08:00:00Z"));
        // + 30 days = Thursday 2025-03-06 00:00: Friday 08:00 is 32 h later
        assertThat(DeribitExpiries.fridayNearest(Instant.parse("2025-02-04T00:00:00Z"), 30))
            .isEqualTo(Instant.parse("2025-03-07T08:00:00Z"));
        for (int d = 0; d < 60; d++) {
            Instant from = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofDays(d));
            Instant e = DeribitExpiries.fridayNearest(from, 30);
            assertThat(e.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
            assertThat(e.atZone(ZoneOffset.UTC).getHour()).isEqualTo(8);
            assertThat(Duration.between(from, e).toHours() / 24.0).isBetween(26.5, 33.5);
        }
    }

    @Test
    void quarterliesAreTheLastFridayOfTheQuarterMonthAtLeastTheMinimumAway() {
        assertThat(DeribitExpiries.quarterly(Instant.parse("2025-01-01T00:00:00Z"), 14, 0))
            .isEqualTo(Instant.parse("2025-03-28T08:00:00Z"));
        assertThat(DeribitExpiries.quarterly(Instant.parse("2025-01-01T00:00:00Z"), 14, 1))
            .isEqualTo(Instant.parse("2025-06-27T08:00:00Z"));
        // within 14 days of the March expiry: the front is June
        assertThat(DeribitExpiries.quarterly(Instant.parse("2025-03-20T00:00:00Z"), 14, 0))
            .isEqualTo(Instant.parse("2025-06-27T08:00:00Z"));
        assertThat(DeribitExpiries.quarterly(Instant.parse("2024-11-01T00:00:00Z"), 14, 1))
            .isEqualTo(Instant.parse("2025-03-28T08:00:00Z"));
    }
}
