package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Procyclicality measures on hand-made MM series. */
class ProcyclicalityTest {
    static List<LocalDate> days(int n) {
        List<LocalDate> d = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            d.add(LocalDate.of(2022, 1, 1).plusDays(i));
        }
        return d;
    }

    @Test
    void measuresAHandMadeSeries() {
        // flat at 100, a jump to 150 on day 10, a climb to 300 by day 20, back down to 80 on day 60
        double[] mm = new double[70];
        for (int i = 0; i < mm.length; i++) {
            mm[i] = i < 10 ? 100 : i < 20 ? 150 + 15 * (i - 10) : i < 60 ? 300 : 80;
        }
        Procyclicality p = Procyclicality.of(days(70), mm);
        assertThat(p.days()).isEqualTo(70);
        assertThat(p.maxMargin()).isEqualTo(300);
        assertThat(p.maxDate()).isEqualTo(LocalDate.of(2022, 1, 21)); // day 20: first at the maximum
        assertThat(p.minMargin()).isEqualTo(80);
        assertThat(p.minDate()).isEqualTo(LocalDate.of(2022, 3, 2)); // day 60
        assertThat(p.peakToTroughRatio()).isCloseTo(300.0 / 80.0, within(1e-12));
        assertThat(p.maxOneDayIncrease()).isEqualTo(50);
        assertThat(p.maxOneDayIncreaseDate()).isEqualTo(LocalDate.of(2022, 1, 11));
        assertThat(p.maxOneDayIncreaseRelative()).isCloseTo(0.5, within(1e-12));
        // 30 days: from 100 (days 0..9) to 300 (days 20..59): +200, +200%, first on day 30 (against day 0)
        assertThat(p.maxNDayIncrease()).isEqualTo(200);
        assertThat(p.maxNDayIncreaseRelative()).isCloseTo(2.0, within(1e-12));
        assertThat(p.maxNDayIncreaseDate()).isEqualTo(LocalDate.of(2022, 1, 31));
        assertThat(p.maxRollingPeakToTrough()).isCloseTo(300.0 / 80.0, within(1e-12));
    }

    @Test
    void theRollingWindowAndTheNDayIncreaseUseCalendarDaysAndSkipMissingDays() {
        double[] mm = {100, Double.NaN, 120, 90, 200, 180};
        List<LocalDate> d = List.of(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 1, 2), LocalDate.of(2022, 1, 3),
            LocalDate.of(2022, 1, 10), LocalDate.of(2022, 1, 11), LocalDate.of(2022, 2, 1));
        Procyclicality p = Procyclicality.of(d, mm, 7, 5);
        assertThat(p.days()).isEqualTo(5);
        // one-day: previous observation; the NaN day is skipped (100 -> 120 is +20)
        assertThat(p.maxOneDayIncrease()).isEqualTo(110);
        assertThat(p.maxOneDayIncreaseDate()).isEqualTo(LocalDate.of(2022, 1, 11));
        // 7 days: Jan 10 vs Jan 3 (-30), Jan 11 vs Jan 3 (+80), Feb 1 vs Jan 11 (-20)
        assertThat(p.maxNDayIncrease()).isEqualTo(80);
        assertThat(p.maxNDayIncreaseRelative()).isCloseTo(80.0 / 120, within(1e-12));
        // 5-day windows: {90, 200} is the widest
        assertThat(p.maxRollingPeakToTrough()).isCloseTo(200.0 / 90, within(1e-12));
        assertThat(p.maxRollingPeakToTroughEnd()).isEqualTo(LocalDate.of(2022, 1, 11));
        assertThat(p.peakToTroughRatio()).isCloseTo(200.0 / 90, within(1e-12));
    }

    @Test
    void aFallingOrEmptySeriesHasNegativeOrNoIncreases() {
        Procyclicality falling = Procyclicality.of(days(3), new double[] {300, 200, 100});
        assertThat(falling.maxOneDayIncrease()).isEqualTo(-100);
        assertThat(falling.maxNDayIncrease()).isNaN();
        Procyclicality zero = Procyclicality.of(days(2), new double[] {0, 0});
        assertThat(zero.peakToTroughRatio()).isNaN();
        assertThat(zero.minDate()).isNull();
    }
}
