package io.upm.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Options and their ranges word a bad value as the document readers do, naming the option's path. */
class NumberOptionTest {

    @Test
    void aValueOutOfRangeNamesThePathAndTheRange() {
        NumberOption cap = NumberOption.of("offsetCap", "fraction", 0.5, ValueRange.closed(0, 1));

        assertThat(cap.check(1.0, "")).isEqualTo(1.0);
        assertThatThrownBy(() -> cap.check(1.5, "")).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).isEqualTo("offsetCap");
            assertThat(e.problem()).isEqualTo("must be in [0, 1], got 1.5");
        });
        assertThatThrownBy(() -> cap.check(Double.NaN, "assets.BTC")).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e.field()).isEqualTo("assets.BTC.offsetCap"));
    }

    @Test
    void integerOptionsRejectFractionsAndSayTheyAreIntegers() {
        NumberOption steps = NumberOption.integer("priceSteps", "price points", 4, 1, 16);

        assertThat(steps.intDefault()).isEqualTo(4);
        assertThatThrownBy(() -> steps.check(4.5, "")).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e.problem()).isEqualTo("expected an integer, got 4.5"));
        assertThatThrownBy(() -> steps.check(17, "")).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e.problem()).isEqualTo("must be an integer in [1, 16], got 17"));
    }

    @Test
    void openBoundsAreExcluded() {
        ValueRange r = ValueRange.aboveTo(0, 1e12);

        assertThat(r.contains(0)).isFalse();
        assertThat(r.contains(Double.MIN_VALUE)).isTrue();
        assertThat(r.contains(1e12)).isTrue();
        assertThat(r.contains(Double.POSITIVE_INFINITY)).isFalse();
        assertThat(r).hasToString("in (0, 1000000000000]");
    }

    @Test
    void aDefaultOutsideItsRangeIsABug() {
        assertThatThrownBy(() -> NumberOption.of("x", "fraction", 2, ValueRange.closed(0, 1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
