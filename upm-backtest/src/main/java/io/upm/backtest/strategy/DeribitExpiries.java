package io.upm.backtest.strategy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * Deribit-style expiry dates: every Friday at 08:00 UTC (weeklies), and the quarterlies, the last Friday of
 * March, June, September and December at 08:00 UTC. Stateless.
 */
public final class DeribitExpiries {
    /** Expiry hour, UTC. */
    public static final int EXPIRY_HOUR = 8;

    private DeribitExpiries() {
    }

    /**
     * The Friday 08:00 UTC expiry nearest to {@code from + tenorDays}; of two equally near, the later.
     */
    public static Instant fridayNearest(Instant from, double tenorDays) {
        Instant target = from.plusSeconds(Math.round(tenorDays * 86400.0));
        LocalDate d = target.atZone(ZoneOffset.UTC).toLocalDate();
        Instant before = expiry(d.plusDays(1).with(TemporalAdjusters.previous(DayOfWeek.FRIDAY)));
        if (before.isAfter(target)) {
            before = expiry(before.atZone(ZoneOffset.UTC).toLocalDate().minusDays(7));
        }
        Instant after = expiry(before.atZone(ZoneOffset.UTC).toLocalDate().plusDays(7));
        long db = Duration.between(before, target).getSeconds();
        long da = Duration.between(target, after).getSeconds();
        Instant pick = da <= db ? after : before;
        return pick.isAfter(from) ? pick : after;
    }

    /**
     * The quarterly expiries after {@code from + minDays}: index 0 is the first quarterly at least
     * {@code minDays} days away, index 1 the next one, and so on.
     */
    public static Instant quarterly(Instant from, double minDays, int index) {
        Instant earliest = from.plusSeconds(Math.round(minDays * 86400.0));
        LocalDate d = from.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        int found = -1;
        for (int k = 0; k < 4 * (index + 3); k++) {
            LocalDate month = d.plusMonths(k);
            if (month.getMonthValue() % 3 != 0) {
                continue;
            }
            Instant e = expiry(month.with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY)));
            if (!e.isBefore(earliest) && ++found == index) {
                return e;
            }
        }
        throw new IllegalStateException("no quarterly found");
    }

    /** 08:00 UTC on {@code date}. */
    public static Instant expiry(LocalDate date) {
        return date.atTime(EXPIRY_HOUR, 0).toInstant(ZoneOffset.UTC);
    }
}
