package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test on localhost: 8 concurrent clients for a third of {@code upm.load.seconds} (default 30 s) each
 * on reads ({@code GET /v1/accounts} and {@code GET /v1/index}), what-ifs and orders, reporting requests per second
 * and p50/p99/max latency to stdout and {@code target/load-test.txt}. Client and server share this machine's cores.
 */
class LoadTest {
    private static final int CLIENTS = 8;

    /** One phase's figures. */
    record Result(String name, long requests, long errors, double seconds, long[] nanos) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double q) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int k = (int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1);
            return s[Math.max(0, k)] / 1e6;
        }

        String line() {
            return String.format(Locale.ROOT, "%-9s %8d requests %6.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  errors %d",
                name, requests, perSecond(), percentileMillis(0.50), percentileMillis(0.99), percentileMillis(1.0), errors);
        }
    }

    interface Call {
        HttpResponse<String> send(TestVenue v, int client, long i) throws Exception;
    }

    private static Result run(TestVenue v, String name, double seconds, Call call) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> lat = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicInteger counts = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long[][] perClient = new long[CLIENTS][];
        int[] n = new int[CLIENTS];
        long t0 = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            perClient[c] = new long[1 << 20];
            threads.add(Thread.ofVirtual().start(() -> {
                long i = 0;
                while (System.nanoTime() < end && n[client] < perClient[client].length) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = call.send(v, client, i++);
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    perClient[client][n[client]++] = System.nanoTime() - s;
                    counts.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int total = 0;
        for (int c = 0; c < CLIENTS; c++) {
            lat.add(Arrays.copyOf(perClient[c], n[c]));
            total += n[c];
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] l : lat) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        return new Result(name, total, errors.get(), elapsed, all);
    }

    @Test
    void readsWhatIfsAndOrdersUnderLoad() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("upm.load.seconds", "30")) / 3;
        try (TestVenue v = TestVenue.start("load", TestVenue.generous(), true)) {
            String whatIf = "{\"add\":[{\"instrument\":\"BTC_USDC-25DEC26-60000-P\",\"size\":2}]}";
            List<Result> results = List.of(
                run(v, "reads", seconds, (t, c, i) -> t.get(i % 2 == 0 ? "/v1/accounts" : "/v1/index", t.viewer)),
                run(v, "what-ifs", seconds, (t, c, i) -> t.post("/v1/accounts/alice/whatif", t.alice, whatIf)),
                run(v, "orders", seconds, (t, c, i) -> t.post("/v1/accounts/bob/orders", t.bob,
                    "{\"id\":\"L" + c + "-" + i + "\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":" + (i % 2 == 0 ? "0.01" : "-0.01")
                        + ",\"price\":3000}")));
            StringBuilder report = new StringBuilder("load test: " + CLIENTS + " clients on localhost, "
                + Runtime.getRuntime().availableProcessors() + " cores shared with the server, JDK "
                + Runtime.version() + "\n");
            for (Result r : results) {
                report.append(r.line()).append('\n');
            }
            System.out.print(report);
            Path out = Path.of("target", "load-test.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            for (Result r : results) {
                assertThat(r.errors()).as(r.line()).isZero();
                assertThat(r.requests()).as(r.line()).isGreaterThan(0);
                assertThat(r.perSecond()).as(r.line()).isGreaterThan(20);
                assertThat(r.percentileMillis(0.99)).as(r.line()).isLessThan(2_000);
            }
            // every order reached the journal, in order, and the engine still answers
            long orders = results.get(2).requests();
            assertThat(v.service.engine().appliedSeq()).isGreaterThanOrEqualTo(TestVenue.SETUP.size() + orders);
        }
    }
}
