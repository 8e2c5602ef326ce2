package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.CoverageTests.Zone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kupiec, Christoffersen and the Basel traffic light against hand-computed and published values. */
class CoverageTestsTest {
    static final double P = CoverageTests.NOMINAL_BREACH_PROBABILITY;

    @ParameterizedTest(name = "{1} breaches in 250 days: {2}")
    @CsvSource({"250,0,green", "250,4,green", "250,5,yellow", "250,9,yellow", "250,10,red", "250,25,red"})
    void baselZonesFor250DaysAreThoseOfTheBaselFramework(int days, int breaches, Zone zone) {
        assertThat(CoverageTests.trafficLight(days, breaches, P)).isEqualTo(zone);
        assertThat(CoverageTests.yellowFrom(days, P)).isEqualTo(5);
        assertThat(CoverageTests.redFrom(days, P)).isEqualTo(10);
    }

    @Test
    void zonesScaleWithTheNumberOfDays() {
        assertThat(CoverageTests.yellowFrom(1000, P)).isGreaterThan(CoverageTests.yellowFrom(250, P));
        assertThat(CoverageTests.redFrom(1000, P)).isGreaterThan(CoverageTests.redFrom(250, P));
        assertThat(CoverageTests.trafficLight(1000, 14, P)).isEqualTo(Zone.green);
        assertThat(CoverageTests.trafficLight(1000, 40, P)).isEqualTo(Zone.red);
    }

    @Test
    void kupiecMatchesTheClosedForm() {
        // no breach in 250 days: LR = -2 x 250 ln(0.99) = 5.0252, p = P(chi2_1 > 5.0252) = 0.02498
        assertThat(CoverageTests.kupiecStatistic(250, 0, P)).isCloseTo(-500 * Math.log(0.99), within(1e-12));
        assertThat(CoverageTests.kupiecPValue(250, 0, P)).isCloseTo(0.02498, within(5e-5));
        // exactly the nominal rate: LR = 0, p = 1
        assertThat(CoverageTests.kupiecPValue(1000, 10, P)).isCloseTo(1.0, within(1e-12));
        // 8 in 250 (3.2%): LR = 7.5, p ~ 0.0062 (hand-computed)
        double lr = -2 * (242 * Math.log(0.99) + 8 * Math.log(0.01) - 242 * Math.log(242 / 250.0) - 8 * Math.log(8 / 250.0));
        assertThat(CoverageTests.kupiecStatistic(250, 8, P)).isCloseTo(lr, within(1e-9));
        assertThat(CoverageTests.kupiecPValue(250, 8, P)).isBetween(0.004, 0.009);
    }

    @Test
    void clusteredBreachesFailIndependenceAndSpreadOnesPass() {
        boolean[] clustered = new boolean[1000];
        for (int i = 500; i < 510; i++) {
            clustered[i] = true;
        }
        boolean[] spread = new boolean[1000];
        for (int i = 50; i < 1000; i += 100) {
            spread[i] = true;
        }
        assertThat(CoverageTests.independencePValue(clustered)).isLessThan(1e-6);
        assertThat(CoverageTests.independencePValue(spread)).isGreaterThan(0.5);
        // both have the nominal count, so Kupiec cannot tell them apart; conditional coverage can
        assertThat(CoverageTests.conditionalCoveragePValue(clustered, P)).isLessThan(1e-6);
        assertThat(CoverageTests.conditionalCoveragePValue(spread, P)).isGreaterThan(0.5);
        assertThat(CoverageTests.independencePValue(new boolean[300])).isEqualTo(1.0);
    }
}
