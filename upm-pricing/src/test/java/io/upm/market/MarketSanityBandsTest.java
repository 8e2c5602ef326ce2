package io.upm.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.product.InstrumentNames;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The market sanity bands: absurd market data and instruments are rejected naming the input leaf, the value,
 * the band and the parameter that sets it; realistic data passes; every band is a validated parameter.
 */
class MarketSanityBandsTest {
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final MarketSanityBands DEFAULTS = MarketSanityBands.defaults();

    /** A realistic market (the values of examples/market.json), with room for one more leaf. */
    static MarketSnapshot.Builder realistic() {
        return MarketSnapshot.builder(T0).price("BTC", 91500).price("ETH", 3050).price("USDC", 1.0)
            .forward("BTC", "25DEC26", 92027.96).forward("BTC", "25JUN27", 95296.83)
            .mark("BTC-PERPETUAL", 91540.5).mark("ETH_USDC-PERPETUAL", 3051.0)
            .vol("BTC", "25DEC26", "90000", 0.50).vol("BTC", "25JUN27", "90000", 0.56).flatVol("ETH", 0.7)
            .correlation("BTC/ETH", 0.82).adv("BTC", 25e9).adv("ETH", 12e9).rate(0.0);
    }

    /** Asserts an {@link InputException} naming {@code field}, its message naming {@code parameter}. */
    static InputException rejected(ThrowingCallable call, String field, String parameter) {
        InputException[] caught = new InputException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(InputException.class, e -> {
            caught[0] = e;
            assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(parameter);
        });
        return caught[0];
    }

    static void rejectedByDefaults(MarketSnapshot.Builder market, String field, String parameter) {
        MarketSnapshot m = market.build();
        rejected(() -> DEFAULTS.check(m), field, parameter);
    }

    // ---- realistic data passes

    @Test
    void aRealisticMarketPasses() {
        MarketSnapshot m = realistic().build();

        assertThatCode(() -> DEFAULTS.check(m)).doesNotThrowAnyException();
        for (String name : new String[] {"BTC-PERPETUAL", "BTC_USDC-25JUN27", "BTC-25DEC26-150000-C",
            "BTC_USDC-25JUN27-20000-P", "ETH-25DEC26-3000-P"}) {
            assertThatCode(() -> DEFAULTS.checkInstrument(InstrumentNames.parse(name, "x"), m, "x"))
                .as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void aSnapshotMovedByTheExtendedMovesStillPasses() {
        // the margin scenarios move index, forwards and marks together: their ratios stay in band
        MarketSnapshot m = realistic().build().withPriceMove("BTC", 5.0).withPriceMove("ETH", -0.66);

        assertThatCode(() -> DEFAULTS.check(m)).doesNotThrowAnyException();
    }

    // ---- one test per absurd input of issue 6

    @Test
    void aForwardQuotedInThousandsIsRejected() {
        InputException e = rejected(() -> DEFAULTS.check(realistic().forward("BTC", "26MAR27", 91.5).build()),
            "forwards.BTC.26MAR27", "marketSanity.maxForwardLogBasis");

        assertThat(e.problem()).contains("forward 91.5", "0.001000 times the index 91500",
            "marketSanity.maxForwardLogBasisPerYear");
    }

    @Test
    void anAstronomicalForwardIsRejected() {
        InputException e = rejected(() -> DEFAULTS.check(realistic().forward("BTC", "26MAR27", 9.2e10).build()),
            "forwards.BTC.26MAR27", "marketSanity.maxForwardLogBasis");

        assertThat(e.problem()).contains("forward 92000000000");
    }

    @Test
    void theForwardBandWidensWithTimeToExpiry() {
        // 26MAR27 is 0.3315 years away: band 0.2 + 0.5 x 0.3315 = 0.3658, i.e. F/S in [0.6937, 1.442]
        double t = realistic().build().yearFraction(Instant.parse("2027-03-26T08:00:00Z"));
        double band = 0.2 + 0.5 * t;
        MarketSnapshot inside = realistic().forward("BTC", "26MAR27", 91500 * Math.exp(band - 1e-9)).build();
        MarketSnapshot outside = realistic().forward("BTC", "26MAR27", 91500 * Math.exp(band + 1e-9)).build();
        MarketSnapshot belowOutside = realistic().forward("BTC", "26MAR27", 91500 * Math.exp(-band - 1e-9)).build();

        assertThatCode(() -> DEFAULTS.check(inside)).doesNotThrowAnyException();
        rejected(() -> DEFAULTS.check(outside), "forwards.BTC.26MAR27", "marketSanity.maxForwardLogBasis");
        rejected(() -> DEFAULTS.check(belowOutside), "forwards.BTC.26MAR27", "marketSanity.maxForwardLogBasis");
    }

    @Test
    void theForwardFieldSpellsTheExpiryAsTheInputDid() {
        rejectedByDefaults(realistic().forward("ETH", "04DEC26", 30.5), "forwards.ETH.04DEC26",
            "marketSanity.maxForwardLogBasis");
    }

    @Test
    void aPerpetualMarkAThousandTimesItsIndexIsRejected() {
        InputException e = rejected(() -> DEFAULTS.check(realistic().mark("BTC_USDC-PERPETUAL", 91.5e6).build()),
            "marks.BTC_USDC-PERPETUAL", "marketSanity.maxPerpetualMarkLogBasis");

        assertThat(e.problem()).contains("mark 91500000", "1000 times the index 91500 (prices.BTC)");
        rejectedByDefaults(realistic().mark("BTC_USDC-PERPETUAL", 91500 * Math.exp(-0.2 - 1e-9)),
            "marks.BTC_USDC-PERPETUAL", "marketSanity.maxPerpetualMarkLogBasis");
        assertThatCode(() -> DEFAULTS.check(realistic().mark("BTC_USDC-PERPETUAL", 91500 * Math.exp(0.2 - 1e-9))
            .build())).doesNotThrowAnyException();
    }

    @Test
    void aVanishingSpotIsRejected() {
        InputException e = rejected(() -> DEFAULTS.check(realistic().price("SHIB", 1e-300).build()), "prices.SHIB",
            "marketSanity.minPrice");

        assertThat(e.problem()).contains("price 1.0E-300 USD", "1.0E-8");
        assertThatCode(() -> DEFAULTS.check(realistic().price("SHIB", 1.2e-5).build())).doesNotThrowAnyException();
    }

    @Test
    void anAstronomicalSpotIsRejected() {
        rejectedByDefaults(realistic().price("ETH", 3.05e9), "prices.ETH", "marketSanity.maxPrice");
    }

    @Test
    void aVanishingAdvIsRejected() {
        InputException e = rejected(() -> DEFAULTS.check(realistic().adv("BTC", 1e-300).build()), "adv.BTC",
            "marketSanity.minAdv");

        assertThat(e.problem()).contains("1.0E-300 USD", "1000 USD");
    }

    @Test
    void anAstronomicalAdvIsRejected() {
        rejectedByDefaults(realistic().adv("ETH", 5e13), "adv.ETH", "marketSanity.maxAdv");
    }

    @Test
    void anAbsurdRateIsRejected() {
        rejectedByDefaults(realistic().rate(-0.3), "rate", "marketSanity.maxAbsRate");
    }

    @Test
    void anOptionStrikeOf1e20IsRejected() {
        MarketSnapshot m = realistic().build();
        InputException e = rejected(() -> DEFAULTS.checkInstrument(
                InstrumentNames.parse("BTC-25DEC26-100000000000000000000-C", "x"), m, "positions[2].instrument"),
            "positions[2].instrument", "marketSanity.maxStrikeRatio");

        assertThat(e.problem()).contains("strike 1.0E20", "[index / 10, index x 10]");
    }

    @Test
    void theStrikeBandIsSymmetricInRatio() {
        MarketSnapshot m = realistic().build();

        assertThatCode(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-25DEC26-9150-P", "x"), m, "f"))
            .doesNotThrowAnyException();
        assertThatCode(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-25DEC26-915000-C", "x"), m, "f"))
            .doesNotThrowAnyException();
        rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-25DEC26-9149-P", "x"), m, "f"), "f",
            "marketSanity.maxStrikeRatio");
        rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-25DEC26-915001-C", "x"), m, "f"), "f",
            "marketSanity.maxStrikeRatio");
    }

    @Test
    void anOptionWithoutAnIndexPriceIsRejected() {
        MarketSnapshot m = realistic().build();

        rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("SOL-25DEC26-150-C", "x"), m, "f"), "f",
            "prices.SOL");
    }

    @Test
    void anExpiryIn2099IsRejected() {
        MarketSnapshot m = realistic().build();

        InputException e = rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC_USDC-25DEC99", "x"), m,
            "positions[0].instrument"), "positions[0].instrument", "marketSanity.maxExpiryYears");
        assertThat(e.problem()).contains("73.13 years", "band of 3 years");
        rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-25DEC99-90000-C", "x"), m, "f"), "f",
            "marketSanity.maxExpiryYears");
        // the snapshot's own leaves too: a forward or a vol slice in 2099
        rejectedByDefaults(realistic().forward("BTC", "25DEC99", 92000), "forwards.BTC.25DEC99",
            "marketSanity.maxExpiryYears");
        rejectedByDefaults(realistic().vol("BTC", "25DEC99", "90000", 0.5), "vols.BTC.25DEC99",
            "marketSanity.maxExpiryYears");
    }

    @Test
    void anExpiryJustInsideTheBandPasses() {
        MarketSnapshot m = realistic().build();

        // 24NOV29 is 2.997 years after 25NOV26, 26NOV29 3.003 years
        assertThatCode(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-24NOV29", "x"), m, "f"))
            .doesNotThrowAnyException();
        rejected(() -> DEFAULTS.checkInstrument(InstrumentNames.parse("BTC-26NOV29", "x"), m, "f"), "f",
            "marketSanity.maxExpiryYears");
    }

    // ---- the bands are parameters

    @Test
    void wideningABandChangesTheVerdict() {
        MarketSnapshot m = realistic().adv("BTC", 500).build();
        MarketSanityBands lower = DEFAULTS.toBuilder().minAdv(100).build();

        rejected(() -> DEFAULTS.check(m), "adv.BTC", "marketSanity.minAdv");
        assertThatCode(() -> lower.check(m)).doesNotThrowAnyException();
    }

    @Test
    void theDefaultsAreTheDocumentedValues() {
        assertThat(DEFAULTS).isEqualTo(new MarketSanityBands(1e-8, 1e9, 0.2, 0.5, 0.2, 1e3, 1e12, 0.25, 10, 3));
        assertThat(MarketSanityBands.builder().build()).isEqualTo(DEFAULTS);
        assertThat(DEFAULTS.toBuilder().build()).isEqualTo(DEFAULTS);
    }

    @Test
    void theOptionsAreTheRecordComponentsInOrder() {
        assertThat(MarketSanityBands.OPTIONS.stream().map(NumberOption::key).toList()).containsExactlyElementsOf(
            Arrays.stream(MarketSanityBands.class.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "minPrice                  | 0       | in (0, 1000000000000]",
        "maxPrice                  | 2e12    | in (0, 1000000000000]",
        "maxForwardLogBasis        | 0       | in (0, 10]",
        "maxForwardLogBasisPerYear | -0.1    | in [0, 10]",
        "maxPerpetualMarkLogBasis  | 11      | in (0, 10]",
        "minAdv                    | -5      | in (0, 1000000000000000]",
        "maxAdv                    | 2e15    | in (0, 1000000000000000]",
        "maxAbsRate                | 1.5     | in [0, 1]",
        "maxStrikeRatio            | 1       | in (1, 1000000]",
        "maxExpiryYears            | 0       | in (0, 100]",
        "maxExpiryYears            | NaN     | in (0, 100]",
    })
    void aBandOutOfItsRangeIsRejectedByItsKey(String key, double value, String range) {
        rejected(() -> with(key, value).build(), key, range);
    }

    @Test
    void theFloorsMustLieBelowTheCeilings() {
        rejected(() -> MarketSanityBands.builder().minPrice(10).maxPrice(10).build(), "maxPrice", "above minPrice");
        rejected(() -> MarketSanityBands.builder().minAdv(2e12).build(), "maxAdv", "above minAdv");
    }

    /** The default builder with one band set by its key. */
    private static MarketSanityBands.Builder with(String key, double value) {
        UnaryOperator<MarketSanityBands.Builder> set = switch (key) {
            case "minPrice" -> b -> b.minPrice(value);
            case "maxPrice" -> b -> b.maxPrice(value);
            case "maxForwardLogBasis" -> b -> b.maxForwardLogBasis(value);
            case "maxForwardLogBasisPerYear" -> b -> b.maxForwardLogBasisPerYear(value);
            case "maxPerpetualMarkLogBasis" -> b -> b.maxPerpetualMarkLogBasis(value);
            case "minAdv" -> b -> b.minAdv(value);
            case "maxAdv" -> b -> b.maxAdv(value);
            case "maxAbsRate" -> b -> b.maxAbsRate(value);
            case "maxStrikeRatio" -> b -> b.maxStrikeRatio(value);
            case "maxExpiryYears" -> b -> b.maxExpiryYears(value);
            default -> throw new IllegalArgumentException(key);
        };
        return set.apply(MarketSanityBands.builder());
    }
}
