package io.upm.service;

import io.upm.service.security.KeyStore;
import io.upm.service.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A service on a fresh journal for the tests: keys of every role (a trader of alice, a trader of bob, a viewer, an
 * operator), and a small venue: BTC and ETH, alice with a short strangle and a BTC perpetual, bob with a long ETH
 * perpetual and a BTC loan-free balance. Closes the service and deletes nothing (the journal sits under target/).
 */
final class TestVenue implements AutoCloseable {
    static final List<String> SETUP = List.of(
        "{\"type\":\"market\",\"time\":\"2026-11-25T08:00:00Z\",\"prices\":{\"BTC\":90000,\"ETH\":3000,\"USDC\":1},"
            + "\"marks\":{\"BTC-PERPETUAL\":90040,\"BTC_USDC-PERPETUAL\":90020,\"ETH_USDC-PERPETUAL\":3001},"
            + "\"forwards\":{\"BTC\":{\"25DEC26\":92000}},\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7}},"
            + "\"correlations\":{\"BTC/ETH\":0.82},\"adv\":{\"BTC\":25000000000,\"ETH\":12000000000}}",
        "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:01Z\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":400000}",
        "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:01Z\",\"account\":\"bob\",\"asset\":\"USDC\",\"amount\":150000}",
        "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:01Z\",\"account\":\"bob\",\"asset\":\"BTC\",\"amount\":1}",
        "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:02Z\",\"account\":\"alice\",\"instrument\":\"BTC_USDC-25DEC26-120000-C\",\"size\":-5,\"price\":6000}",
        "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:02Z\",\"account\":\"alice\",\"instrument\":\"BTC_USDC-25DEC26-70000-P\",\"size\":-5,\"price\":5000}",
        "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:02Z\",\"account\":\"alice\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1.5,\"price\":90000}",
        "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:03Z\",\"account\":\"bob\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":60,\"price\":3000}");

    final UpmService service;
    final String operator;
    final String viewer;
    final String alice;
    final String bob;
    Path keysFile;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestVenue(UpmService service, String operator, String viewer, String alice, String bob) {
        this.service = service;
        this.operator = operator;
        this.viewer = viewer;
        this.alice = alice;
        this.bob = bob;
    }

    /** A service with the given settings' limits on a new journal under target/tmp, with the venue built. */
    static TestVenue start(String name, ServiceConfig base, boolean setup) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "svc-" + name);
        return start(dir, base, setup, null);
    }

    /** As {@link #start(String, ServiceConfig, boolean)} on a given journal folder and key store. */
    static TestVenue start(Path dir, ServiceConfig base, boolean setup, Keys keys) throws Exception {
        Keys k = keys == null ? Keys.make() : keys;
        ServiceConfig c = new ServiceConfig(dir.resolve("journal"), dir.resolve("keys.json"), "127.0.0.1", 0,
            base.ratePerSecond(), base.rateBurst(), base.maxBodyBytes(), base.maxCommands(), base.maxWhatIfOrders(),
            base.revalueMillis(), base.revalueMaxAccounts(), base.streamCapacity(), base.streamQueue(),
            base.requestTimeout());
        k.store.write(c.keysFile());
        UpmService s = UpmService.start(c, k.store, null);
        TestVenue v = new TestVenue(s, k.operator, k.viewer, k.alice, k.bob);
        v.keysFile = c.keysFile();
        if (setup) {
            v.service.engine().submit(SETUP).get();
        }
        return v;
    }

    /** A service in front of a Kafka cluster of engines (no venue built), with keys under {@code dir}. */
    static TestVenue startOnCluster(Path dir, ServiceConfig base, io.upm.service.cluster.ClusterSettings cluster, Keys keys) {
        ServiceConfig c = new ServiceConfig(dir.resolve("journal-unused"), dir.resolve("keys.json"), "127.0.0.1", 0,
            base.ratePerSecond(), base.rateBurst(), base.maxBodyBytes(), base.maxCommands(), base.maxWhatIfOrders(),
            base.revalueMillis(), base.revalueMaxAccounts(), base.streamCapacity(), base.streamQueue(),
            base.requestTimeout());
        keys.store.write(c.keysFile());
        TestVenue v = new TestVenue(UpmService.startOnCluster(c, keys.store, cluster), keys.operator, keys.viewer,
            keys.alice, keys.bob);
        v.keysFile = c.keysFile();
        return v;
    }

    /** Keys of every role and their store. */
    record Keys(KeyStore store, String operator, String viewer, String alice, String bob) {
        static Keys make() {
            KeyStore.NewKey op = KeyStore.generate(Role.OPERATOR, Set.of());
            KeyStore.NewKey vi = KeyStore.generate(Role.VIEWER, Set.of());
            KeyStore.NewKey al = KeyStore.generate(Role.TRADER, Set.of("alice"));
            KeyStore.NewKey bo = KeyStore.generate(Role.TRADER, Set.of("bob"));
            KeyStore store = KeyStore.empty().add(op.entry()).add(vi.entry()).add(al.entry()).add(bo.entry());
            return new Keys(store, op.key(), vi.key(), al.key(), bo.key());
        }
    }

    /** Settings with generous limits (no 429 in functional tests). */
    static ServiceConfig generous() {
        return ServiceConfig.defaults().withRateLimit(100_000, 100_000).withRevalueMillis(0);
    }

    Path keysFile() {
        return keysFile;
    }

    String base() {
        return "http://127.0.0.1:" + service.port();
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        service.close();
    }
}
