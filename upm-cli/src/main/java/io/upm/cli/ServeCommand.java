package io.upm.cli;

import io.upm.cluster.CommandIngest;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.service.ServiceConfig;
import io.upm.service.UpmService;
import io.upm.service.cluster.ClusterSettings;
import io.upm.service.demo.CrashPath;
import io.upm.service.demo.DemoDriver;
import io.upm.service.security.KeyStore;
import io.upm.service.security.Role;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm serve}: the live engine behind HTTP and WebSocket with the dashboard (FORMATS.md "HTTP API",
 * docs/service.md). With no option: journal in {@code upm-data/journal}, keys in {@code upm-data/keys.json}, port 8080
 * on localhost, and, when the key file holds no operator key, a new one printed once. {@code --demo}: a throwaway
 * journal and keys in a new temporary folder, a synthetic venue and a crash replay, and the dashboard's address with a
 * viewer key. {@code --bootstrap HOST:PORT}: in front of a Kafka cluster of engines ({@code upm node}) instead of an
 * engine of its own (docs/service.md, "The service in front of a cluster"). Runs until interrupted (Ctrl-C), then
 * closes the journal (or the cluster's clients) cleanly.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the engine behind HTTP and WebSocket, with API keys, metrics and the dashboard at /.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", paramLabel = "P", description = "HTTP port (default: ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
        description = "interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--journal", paramLabel = "DIR", description = "the engine's journal (default: upm-data/journal; with --demo a new temporary folder)")
    Path journal;

    @Option(names = "--keys", paramLabel = "FILE", description = "API key file, hashes only (default: upm-data/keys.json; with --demo beside the demo's journal)")
    Path keys;

    @Option(names = "--params", paramLabel = "FILE", description = "margin parameters (JSON or YAML) of a new journal; with --bootstrap, the nodes' (for the ingest)")
    Path params;

    @Option(names = "--rate", defaultValue = "50", paramLabel = "N", description = "requests a second per key (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--burst", defaultValue = "100", paramLabel = "N", description = "requests at once per key (default: ${DEFAULT-VALUE})")
    double burst;

    @Option(names = "--demo", description = "a synthetic venue driven by a crash replay (../shared/data/market when present, else synthetic)")
    boolean demo;

    @Option(names = "--data", defaultValue = "../shared/data/market", paramLabel = "DIR",
        description = "market-data folder of the demo's crash replay (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--step-millis", defaultValue = "1500", paramLabel = "MS",
        description = "demo: wall time per 4-hour step of the replay (default: ${DEFAULT-VALUE})")
    long stepMillis;

    @Option(names = "--demo-accounts", defaultValue = "40", paramLabel = "N", description = "demo: accounts (default: ${DEFAULT-VALUE})")
    int demoAccounts;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "serve in front of the Kafka cluster of engines at this address (upm node): no journal, no engine here")
    String bootstrap;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
        description = "with --bootstrap: partitions of the topics if they must be created (default: 0, the existing topics')")
    int partitions;

    @Option(names = "--transactional-id", defaultValue = CommandIngest.TRANSACTIONAL_ID, paramLabel = "ID",
        description = "with --bootstrap: the ingest's transactional id; the one sequencer (default: ${DEFAULT-VALUE}, as upm node send)")
    String transactionalId;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new BadInput("--port: must be 0..65535, got " + port);
        }
        if (!(rate > 0) || !(burst >= 1)) {
            throw new BadInput("--rate/--burst: rate > 0 and burst >= 1, got " + rate + ", " + burst);
        }
        if (stepMillis < 0 || stepMillis > 600_000) {
            throw new BadInput("--step-millis: must be 0..600000, got " + stepMillis);
        }
        if (demoAccounts < 1 || demoAccounts > 99) {
            throw new BadInput("--demo-accounts: must be 1..99, got " + demoAccounts);
        }
        if (bootstrap == null && (partitions != 0 || !CommandIngest.TRANSACTIONAL_ID.equals(transactionalId))) {
            throw new BadInput("--partitions/--transactional-id: only with --bootstrap");
        }
        if (bootstrap != null && (demo || journal != null)) {
            throw new BadInput("--bootstrap: the engines run in the cluster (upm node); --demo and --journal "
                + "are for the in-process engine");
        }
        ClusterSettings cluster = null;
        if (bootstrap != null) {
            try {
                cluster = ClusterSettings.of(bootstrap).withPartitions(partitions).withTransactionalId(transactionalId)
                    .withParams(params == null ? MarginParameters.defaults() : Inputs.params(params)).check();
            } catch (IllegalArgumentException e) {
                throw new BadInput("--" + e.getMessage().replace("transactionalId", "transactional-id"));
            }
        }
        Path base = demo ? Files.createTempDirectory("upm-demo-") : Path.of("upm-data");
        Path journalDir = journal != null ? journal : base.resolve("journal");
        Path keyFile = keys != null ? keys : base.resolve("keys.json");
        MarginParameters p = params == null ? null : Inputs.params(params);
        KeyStore store = readKeys(keyFile);
        boolean hasOperator = store.hasRole(Role.OPERATOR);
        StringBuilder printed = new StringBuilder();
        String viewerKey = null;
        if (!hasOperator) {
            KeyStore.NewKey op = KeyStore.generate(Role.OPERATOR, Set.of());
            store = store.add(op.entry());
            printed.append("operator key (shown once; only its hash is kept in ").append(keyFile).append("):\n  ")
                .append(op.key()).append('\n');
        }
        if (demo) {
            KeyStore.NewKey viewer = KeyStore.generate(Role.VIEWER, Set.of());
            KeyStore.NewKey trader = KeyStore.generate(Role.TRADER, Set.of("demo-01", "demo-02"));
            store = store.add(viewer.entry()).add(trader.entry());
            viewerKey = viewer.key();
            printed.append("viewer key:\n  ").append(viewer.key()).append('\n')
                .append("trader key (accounts demo-01, demo-02):\n  ").append(trader.key()).append('\n');
        }
        if (printed.length() > 0) {
            try {
                store.write(keyFile);
            } catch (UncheckedIOException e) {
                throw new BadInput("--keys: " + e.getMessage());
            }
        }
        ServiceConfig config = ServiceConfig.defaults().withJournal(journalDir).withKeysFile(keyFile).withPort(port)
            .withRateLimit(rate, burst);
        config = new ServiceConfig(config.journal(), config.keysFile(), host, config.port(), config.ratePerSecond(),
            config.rateBurst(), config.maxBodyBytes(), config.maxCommands(), config.maxWhatIfOrders(),
            config.revalueMillis(), config.revalueMaxAccounts(), config.streamCapacity(), config.streamQueue(),
            config.requestTimeout());
        UpmService service;
        try {
            service = cluster == null ? UpmService.start(config, store, p)
                : UpmService.startOnCluster(config, store, cluster);
        } catch (IllegalArgumentException e) {
            throw new BadInput("upm: serve: " + e.getMessage());
        }
        String url = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + service.port() + "/";
        System.out.println("upm serve: listening on " + url + (cluster == null ? " (journal " + journalDir
            : " (in front of the cluster at " + bootstrap) + ", keys " + keyFile + ")");
        System.out.print(printed);
        DemoDriver driver = null;
        if (demo) {
            CrashPath path = CrashPath.load(data, 42L);
            driver = DemoDriver.start(service.engine(), path, demoAccounts, stepMillis, System.out::println);
            System.out.println("dashboard: " + url + "#key=" + viewerKey);
        } else {
            System.out.println("dashboard: " + url + " (paste a key)");
        }
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        DemoDriver d = driver;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (d != null) {
                d.close();
            }
            service.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static KeyStore readKeys(Path file) {
        try {
            return KeyStore.read(file);
        } catch (InputException e) {
            throw new BadInput(io.upm.formats.ErrorLine.format(file.toString(), e));
        }
    }

    /** {@code upm keys add}: a new API key, printed once; the key file keeps only its hash. */
    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the service's API keys.",
        subcommands = {Keys.Add.class})
    static final class Keys implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new BadInput("upm: keys: a subcommand is required (add)");
        }

        /** {@code upm keys add --role R [--account ID]... [--keys FILE]}. */
        @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make a new API key and print it once; the key file keeps only its SHA-256.")
        static final class Add implements Callable<Integer> {
            @Option(names = "--role", required = true, paramLabel = "trader|viewer|operator", description = "what the key may do")
            String role;

            @Option(names = "--account", paramLabel = "ID", description = "a trader's account (repeatable)")
            java.util.List<String> accounts;

            @Option(names = "--keys", defaultValue = "upm-data/keys.json", paramLabel = "FILE",
                description = "the key file (default: ${DEFAULT-VALUE})")
            Path keys;

            @Override
            public Integer call() {
                KeyStore.NewKey k;
                KeyStore store = readKeys(keys);
                try {
                    k = KeyStore.generate(Role.parse(role, "role"),
                        accounts == null ? Set.of() : new java.util.LinkedHashSet<>(accounts));
                } catch (InputException e) {
                    throw new BadInput("--" + e.field() + ": " + e.problem());
                }
                try {
                    store.add(k.entry()).write(keys);
                } catch (UncheckedIOException e) {
                    throw new BadInput("--keys: " + e.getMessage());
                }
                System.out.println(k.key());
                return 0;
            }
        }
    }
}
