package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.margin.params.MarginParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The haircut sigmas the engine estimates from the prices it sees (MODEL.md section 10) for assets without a vol
 * surface: a stablecoin whose price never moves gives an estimate of 0, which a vol surface does not take. Found by
 * the cluster's load probe: after a month of engine time every market command was rejected
 * ({@code vols.USDC.flat}) and the market froze. The estimate is now kept within (0, 20].
 */
class EstimatedSigmaTest {
    @Test
    void aPriceThatNeverMovesDoesNotFreezeTheMarket() {
        MarginEngine engine = new MarginEngine(MarginParameters.defaults());
        SplittableRandom rnd = new SplittableRandom(5);
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        double btc = 90_000;
        List<String> rejected = new ArrayList<>();
        for (int day = 0; day < 90; day++) {
            for (int h = 0; h < 24; h += 6) {
                btc *= 1 + 0.02 * (rnd.nextDouble() - 0.5);
                Instant at = t.plusSeconds(86_400L * day + 3_600L * h);
                String line = String.format(Locale.ROOT, "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":%.2f,"
                    + "\"USDC\":1},\"vols\":{\"BTC\":{\"flat\":0.55}}}", at, btc);
                ReadResult.Parsed p = (ReadResult.Parsed) CommandReader.read(line);
                engine.apply(day * 4L + h / 6 + 1, p.command(), e -> {
                    String json = EventWriter.toJsonLine(e);
                    if (json.contains("\"rejected\"")) {
                        rejected.add(json);
                    }
                });
                assertThat(engine.market().time()).as("the market follows the commands").isEqualTo(at);
            }
        }
        assertThat(rejected).isEmpty();
        // the estimate exists (a completed-days EWMA) and is the floor, not 0
        assertThat(engine.market().vols()).containsKey("USDC");
    }
}
