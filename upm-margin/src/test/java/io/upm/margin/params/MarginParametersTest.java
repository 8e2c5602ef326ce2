package io.upm.margin.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.market.MarketSanityBands;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parameters are built and validated in one place: the builder starts from MODEL.md's values, and every
 * value out of its range is rejected naming its key path as a parameters file spells it.
 */
class MarginParametersTest {
    private static final MarginParameters DEFAULTS = MarginParameters.defaults();

    @Test
    void theDefaultsAreModelMdVersion1() {
        MarginParameters d = DEFAULTS;

        assertThat(d.priceSteps()).isEqualTo(4);
        assertThat(d.priceMoveCount()).isEqualTo(9);
        assertThat(d.volUpFloor()).isEqualTo(0.5);
        assertThat(d.volDownFloor()).isEqualTo(0.01);
        assertThat(d.volShockReferenceDays()).isEqualTo(30.0);
        assertThat(d.volShockExponentShort()).isEqualTo(0.3);
        assertThat(d.volShockExponentLong()).isEqualTo(0.13);
        assertThat(d.volShockMinDays()).isEqualTo(1.0);
        assertThat(d.extendedMoves()).containsExactly(-0.66, -0.33, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(d.shortOptionMinimum()).isEqualTo(0.01);
        assertThat(d.liquidityFactor()).isEqualTo(0.1);
        assertThat(d.correlationStressWeight()).isEqualTo(0.5);
        assertThat(d.offsetCap()).isEqualTo(0.5);
        assertThat(d.jointLossDirections()).isZero();
        assertThat(d.borrowingRate()).isEqualTo(0.04);
        assertThat(d.initialMarginMultiplier()).isEqualTo(1.25);
        assertThat(d.stablecoins()).containsExactlyInAnyOrder("USD", "USDC", "USDT", "DAI");
        assertThat(d.stablecoinDefaultPrice()).isEqualTo(1.0);
        assertThat(d.standardShortOptionMaintenance()).isEqualTo(0.075);
        assertThat(d.standardShortOptionInitial()).isEqualTo(0.15);
        assertThat(d.standardShortOptionInitialMin()).isEqualTo(0.10);
        assertThat(d.standardLoanMaintenance()).isEqualTo(0.10);
        assertThat(d.standardLoanInitial()).isEqualTo(0.20);
        HaircutSchedule major = HaircutSchedule.of(5e6, 0.0, 50e6, 0.02, 0.05);
        HaircutSchedule stable = HaircutSchedule.of(50e6, 0.0, 0.01);
        assertThat(d.assets()).containsOnlyKeys("BTC", "ETH", "SOL", "USDC", "USDT");
        assertThat(d.asset("BTC")).isEqualTo(new AssetParameters(0.16, 0.5, 0.25, 0.01, 0.075, major, 0.02, 0.01));
        assertThat(d.asset("ETH")).isEqualTo(new AssetParameters(0.18, 0.4, 0.25, 0.005, 0.05, major, 0.02, 0.01));
        assertThat(d.asset("SOL")).isEqualTo(new AssetParameters(0.25, 0.5, 0.25, 0.02, 0.15,
            HaircutSchedule.of(5e6, 0.05, 0.10), 0.04, 0.02));
        AssetParameters other = new AssetParameters(0.30, 0.5, 0.25, 0.02, 0.15, HaircutSchedule.of(1e6, 0.10, 0.25),
            0.04, 0.02);
        assertThat(d.otherAsset()).isEqualTo(other).isEqualTo(MarginParameters.DEFAULT_OTHER_ASSET);
        assertThat(d.asset("USDC")).isEqualTo(other.withHaircut(stable));
        assertThat(d.asset("USDT")).isEqualTo(other.withHaircut(stable));
        assertThat(d.asset("DOGE")).isEqualTo(other);
        assertThat(d.marketSanity()).isEqualTo(MarketSanityBands.defaults());
    }

    @Test
    void defaultsAreTheBuildersStartAndToBuilderRoundTrips() {
        assertThat(MarginParameters.builder().build()).isEqualTo(DEFAULTS);
        assertThat(DEFAULTS.toBuilder().build()).isEqualTo(DEFAULTS);
        MarginParameters changed = DEFAULTS.toBuilder().offsetCap(0.3).priceSteps(6)
            .asset("BTC", a -> a.scanRange(0.2)).marketSanity(s -> s.minAdv(10)).build();
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void everyOptionConstantDefaultsToTheBuildersValue() throws Exception {
        // the NumberOption constants are the one definition: the built defaults must carry their defaults
        for (Field f : MarginParameters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == NumberOption.class) {
                NumberOption o = (NumberOption) f.get(null);
                Object value = MarginParameters.class.getMethod(o.key()).invoke(DEFAULTS);
                assertThat(((Number) value).doubleValue()).as(o.key()).isEqualTo(o.defaultValue());
            }
        }
        for (Field f : AssetParameters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == NumberOption.class) {
                NumberOption o = (NumberOption) f.get(null);
                Object value = AssetParameters.class.getMethod(o.key()).invoke(DEFAULTS.otherAsset());
                assertThat(((Number) value).doubleValue()).as(o.key()).isEqualTo(o.defaultValue());
            }
        }
    }

    @Test
    void theLegacyConstructorGivesTheDefaultBands() {
        MarginParameters d = DEFAULTS;
        MarginParameters legacy = new MarginParameters(d.assets(), d.otherAsset(), d.priceSteps(), d.volUpFloor(),
            d.volDownFloor(), d.volShockReferenceDays(), d.volShockExponentShort(), d.volShockExponentLong(),
            d.volShockMinDays(), d.extendedMoves(), d.shortOptionMinimum(), d.liquidityFactor(),
            d.correlationStressWeight(), d.offsetCap(), d.jointLossDirections(), d.borrowingRate(),
            d.initialMarginMultiplier(), d.stablecoins(), d.stablecoinDefaultPrice(),
            d.standardShortOptionMaintenance(), d.standardShortOptionInitial(), d.standardShortOptionInitialMin(),
            d.standardLoanMaintenance(), d.standardLoanInitial());

        assertThat(legacy).isEqualTo(d);
    }

    @Test
    void anAssetChangeStartsFromItsEntryElseFromTheOtherAsset() {
        MarginParameters p = MarginParameters.builder()
            .otherAsset(a -> a.scanRange(0.4))
            .asset("XRP", a -> a.volUpShock(0.7))
            .asset("ETH", a -> a.volUpShock(0.45))
            .build();

        assertThat(p.asset("XRP")).isEqualTo(DEFAULTS.otherAsset().toBuilder().scanRange(0.4).volUpShock(0.7).build());
        assertThat(p.asset("ETH")).isEqualTo(DEFAULTS.asset("ETH").toBuilder().volUpShock(0.45).build());
        assertThat(p.asset("DOGE").scanRange()).isEqualTo(0.4);
        assertThat(p.asset("BTC")).isEqualTo(DEFAULTS.asset("BTC"));
    }

    @Test
    void theBuilderKeepsNoAliasOfWhatItWasGiven() {
        List<Double> moves = new ArrayList<>(List.of(0.5, 1.0));
        MarginParameters.Builder b = MarginParameters.builder().extendedMoves(moves);
        moves.set(0, 0.0);

        assertThat(b.build().extendedMoves()).containsExactly(0.5, 1.0);
    }

    static Stream<Arguments> violations() {
        return Stream.of(
            violation("priceSteps", "an integer in [1, 16]", b -> b.priceSteps(0)),
            violation("priceSteps", "an integer in [1, 16]", b -> b.priceSteps(17)),
            violation("volUpFloor", "in [0, 10]", b -> b.volUpFloor(-0.1)),
            violation("volDownFloor", "in (0, 10]", b -> b.volDownFloor(0)),
            violation("volShockReferenceDays", "in (0, 3650]", b -> b.volShockReferenceDays(0)),
            violation("volShockExponentShort", "in [0, 10]", b -> b.volShockExponentShort(-1)),
            violation("volShockExponentLong", "in [0, 10]", b -> b.volShockExponentLong(11)),
            violation("volShockMinDays", "in (0, 3650]", b -> b.volShockMinDays(Double.NaN)),
            violation("extendedMoves", "at least one move", b -> b.extendedMoves(List.of())),
            violation("extendedMoves", "at most 64 moves", b -> b.extendedMoves(new ArrayList<>(
                java.util.Collections.nCopies(65, 0.5)))),
            violation("extendedMoves[1]", "a move of 0 is no move", b -> b.extendedMoves(List.of(0.5, 0.0))),
            violation("extendedMoves[0]", "in (-1, 100]", b -> b.extendedMoves(List.of(-1.0))),
            violation("shortOptionMinimum", "in [0, 1]", b -> b.shortOptionMinimum(1.5)),
            violation("liquidityFactor", "in [0, 100]", b -> b.liquidityFactor(-0.1)),
            violation("correlationStressWeight", "in [0, 1]", b -> b.correlationStressWeight(2)),
            violation("offsetCap", "in [0, 1], got 1.01", b -> b.offsetCap(1.01)),
            violation("jointLossDirections", "an integer in [0, 1000000]", b -> b.jointLossDirections(-1)),
            violation("borrowingRate", "in [0, 1]", b -> b.borrowingRate(-0.04)),
            violation("initialMarginMultiplier", "in [1, 100]", b -> b.initialMarginMultiplier(0.9)),
            violation("stablecoins[1]", "given twice", b -> b.stablecoins(List.of("USDC", "USDC"))),
            violation("stablecoins[0]", "not an asset code", b -> b.stablecoins(List.of("usdc"))),
            violation("stablecoinDefaultPrice", "in (0, 1000000000000]", b -> b.stablecoinDefaultPrice(0)),
            violation("standardShortOptionMaintenance", "in [0, 1]", b -> b.standardShortOptionMaintenance(2)),
            violation("standardShortOptionInitial", "in [0, 1]", b -> b.standardShortOptionInitial(-1)),
            violation("standardShortOptionInitialMin", "in [0, 1]", b -> b.standardShortOptionInitialMin(1.1)),
            violation("standardLoanMaintenance", "in [0, 1]", b -> b.standardLoanMaintenance(1.1)),
            violation("standardLoanInitial", "in [0, 1]", b -> b.standardLoanInitial(-0.2)),
            violation("assets.btc", "neither an asset code", b -> b.asset("btc", a -> a)),
            violation("assets.default", "names otherAsset", b -> b.asset("default", a -> a)),
            violation("assets.BTC.scanRange", "in (0, 1], got 1.5", b -> b.asset("BTC", a -> a.scanRange(1.5))),
            violation("assets.default.scanRange", "in (0, 1]", b -> b.otherAsset(a -> a.scanRange(-0.3))),
            violation("assets.XRP.volUpShock", "in [0, 10]", b -> b.asset("XRP", a -> a.volUpShock(-0.1))),
            violation("assets.ETH.volDownShock", "in [0, 1]", b -> b.asset("ETH", a -> a.volDownShock(1.5))),
            violation("assets.ETH.rollMinMove", "in [0, 1]", b -> b.asset("ETH", a -> a.rollMinMove(-0.01))),
            violation("assets.ETH.rollAnnualMoveRate", "in [0, 10]", b -> b.asset("ETH", a -> a.rollAnnualMoveRate(11))),
            violation("assets.ETH.standardFutureInitial", "in [0, 1]",
                b -> b.asset("ETH", a -> a.standardFutureInitial(1.2))),
            violation("assets.ETH.standardFutureMaintenance", "in [0, 1]",
                b -> b.asset("ETH", a -> a.standardFutureMaintenance(-0.01))),
            violation("marketSanity.minAdv", "in (0, 1000000000000000]", b -> b.marketSanity(s -> s.minAdv(0))),
            violation("marketSanity.maxStrikeRatio", "in (1, 1000000]", b -> b.marketSanity(s -> s.maxStrikeRatio(1))),
            violation("marketSanity.maxPrice", "above minPrice", b -> b.marketSanity(s -> s.minPrice(2e9))));
    }

    private static Arguments violation(String field, String problem, UnaryOperator<MarginParameters.Builder> change) {
        return Arguments.of(field, problem, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void everyRangeViolationNamesItsKeyPath(String field, String problem, UnaryOperator<MarginParameters.Builder> c) {
        MarginParameters.Builder b = c.apply(MarginParameters.builder());

        assertThatThrownBy(b::build).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problem);
        });
    }

    @Test
    void haircutTiersAreNamedRelativeToTheirList() {
        assertThatThrownBy(() -> HaircutSchedule.of(5, 1.5, 0)).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).isEqualTo("[0].rate");
            assertThat(e.under("assets.BTC.haircut").field()).isEqualTo("assets.BTC.haircut[0].rate");
        });
        assertThatThrownBy(() -> HaircutSchedule.of(5, 0, 5, 0, 0)).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e).hasMessage("[1].upToUsd: bounds must be strictly increasing, got 5 after 5"));
        assertThatThrownBy(() -> HaircutSchedule.of(0, 0, 0)).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e.field()).isEqualTo("[0].upToUsd"));
    }

    @Test
    void theRecordItselfCannotBeInvalid() {
        assertThatThrownBy(() -> DEFAULTS.asset("BTC").withScanRange(0)).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> new MarginParameters(Map.of(), DEFAULTS.otherAsset(), 4, 0.5, 0.01, 30, 0.3, 0.13, 1,
            List.of(1.0), 0.01, 0.1, 0.5, 2.0, 0, 0.04, 1.25, Set.of(), 1, 0.075, 0.15, 0.1, 0.1, 0.2))
            .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.field()).isEqualTo("offsetCap"));
    }
}
