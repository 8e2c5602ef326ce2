package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.margin.AccountStatus;
import io.upm.service.demo.CrashPath;
import io.upm.service.demo.DemoDriver;
import io.upm.service.demo.DemoVenue;
import io.upm.service.read.AccountView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The demo: its path, its venue, and margin calls and liquidations happening when it runs. */
class DemoTest {

    static Optional<Path> realData() {
        for (Path p : List.of(Path.of("..", "..", "shared", "data", "market"), Path.of("..", "shared", "data", "market"))) {
            if (Files.isRegularFile(p.resolve("btc_usdt_binance_4h.csv"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static double maxDrawdown(CrashPath p) {
        double peak = 0;
        double worst = 0;
        for (CrashPath.Step s : p.steps()) {
            peak = Math.max(peak, s.btc());
            worst = Math.max(worst, 1 - s.btc() / peak);
        }
        return worst;
    }

    @Test
    void theSyntheticPathIsSeededAndFallsLikeMarch2020() {
        CrashPath a = CrashPath.synthetic(42);
        assertThat(a.steps()).isEqualTo(CrashPath.synthetic(42).steps()).isNotEqualTo(CrashPath.synthetic(43).steps());
        assertThat(maxDrawdown(a)).isBetween(0.35, 0.6);
        for (int k = 1; k < a.steps().size(); k++) {
            assertThat(a.steps().get(k).time()).isAfter(a.steps().get(k - 1).time());
        }
    }

    @Test
    void theRealPathIsBinancesMarch2020Closes() throws Exception {
        Optional<Path> data = realData();
        Assumptions.assumeTrue(data.isPresent(), "../shared/data/market is absent: the real crash replay is not checked");
        CrashPath p = CrashPath.real(data.get());
        assertThat(p.steps()).hasSizeGreaterThan(60);
        // the close of the 4h bar opening 2020-03-12T20:00Z, straight from the file (the step's time is the bar's close)
        String row = Files.readAllLines(data.get().resolve("btc_usdt_binance_4h.csv")).stream()
            .filter(l -> l.startsWith("2020-03-12T20:00:00Z")).findFirst().orElseThrow();
        double close = Double.parseDouble(row.split(",")[4]);
        CrashPath.Step step = p.steps().stream().filter(s -> s.time().toString().equals("2020-03-13T00:00:00Z"))
            .findFirst().orElseThrow();
        assertThat(step.btc()).isEqualTo(close);
        assertThat(maxDrawdown(p)).as("BTC fell about half from its high of 8-20 March 2020").isBetween(0.4, 0.6);
    }

    @Test
    void theVenuesCommandsAreValidAndTheSameForTheSameSeed() {
        CrashPath path = CrashPath.synthetic(1);
        DemoVenue v = DemoVenue.create(path, 25, 7);
        assertThat(v.setup()).isEqualTo(DemoVenue.create(path, 25, 7).setup());
        for (String line : v.setup()) {
            assertThat(CommandReader.read(line)).as(line).isInstanceOf(ReadResult.Parsed.class);
        }
        assertThat(v.setup().stream().filter(l -> l.contains("\"deposit\"")).count()).isEqualTo(25);
    }

    @Test
    void runningTheDemoPutsHealthyAccountsIntoLiquidation() throws Exception {
        ServiceConfig c = TestVenue.generous().withRevalueMillis(1);
        try (TestVenue v = TestVenue.start("demo", c, false)) {
            CrashPath path = CrashPath.synthetic(42);
            try (DemoDriver d = DemoDriver.start(v.service.engine(), path, 20, 0, line -> { })) {
                long start = System.nanoTime();
                while (d.stepsDone() < path.steps().size() && System.nanoTime() - start < 20_000_000_000L) {
                    Thread.sleep(50);
                }
                assertThat(d.stepsDone()).isGreaterThanOrEqualTo(path.steps().size());
            }
            List<AccountView> accounts = v.service.readModel().accounts();
            assertThat(accounts).hasSize(20);
            // the engine liquidates accounts below MM (MODEL.md section 11): they are in liquidation now, or were
            // stepped back above MM (a liquidation line in the feed)
            java.util.Set<String> liquidated = new java.util.TreeSet<>();
            for (String line : v.service.readModel().feed()) {
                if (line.contains("\"type\":\"liquidation\"")) {
                    var m = java.util.regex.Pattern.compile("\"account\":\"([^\"]+)\"").matcher(line);
                    if (m.find()) {
                        liquidated.add(m.group(1));
                    }
                }
            }
            accounts.stream().filter(a -> a.status() == AccountStatus.LIQUIDATION || a.status() == AccountStatus.BANKRUPT)
                .forEach(a -> liquidated.add(a.account()));
            assertThat(liquidated.size()).as("the crash liquidates some accounts").isGreaterThanOrEqualTo(3);
            assertThat(v.service.readModel().feed()).isNotEmpty();
            // before the crash most were healthy: the first history point of each account
            long healthyAtStart = accounts.stream().filter(a -> {
                var h = v.service.readModel().history(a.account());
                return !h.isEmpty() && h.get(0).equity() >= h.get(0).initialMargin();
            }).count();
            assertThat(healthyAtStart).isGreaterThanOrEqualTo(15);
        }
    }
}
