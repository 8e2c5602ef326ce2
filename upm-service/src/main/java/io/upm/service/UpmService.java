package io.upm.service;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.upm.formats.ErrorLine;
import io.upm.formats.JsonOutput;
import io.upm.formats.WhatIfWriter;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.margin.WhatIf;
import io.upm.margin.params.MarginParameters;
import io.upm.service.cluster.ClusterHost;
import io.upm.service.cluster.ClusterSettings;
import io.upm.service.engine.EngineBackend;
import io.upm.service.engine.EngineHost;
import io.upm.service.http.ApiException;
import io.upm.service.http.Requests;
import io.upm.service.http.ServiceMetrics;
import io.upm.service.http.StreamRoutes;
import io.upm.service.read.AccountView;
import io.upm.service.read.HistoryPoint;
import io.upm.service.read.IndexView;
import io.upm.service.read.ReadModel;
import io.upm.service.security.ApiKey;
import io.upm.service.security.KeyStore;
import io.upm.service.security.RateLimiter;
import io.upm.service.security.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code upm serve}: the live engine behind HTTP and WebSocket (FORMATS.md "HTTP API"), a thin edge. Requests become
 * command lines for the engine behind it ({@link EngineBackend}: the one in-process engine thread, {@link EngineHost},
 * or a Kafka cluster of engines, {@link ClusterHost}) or reads of the published {@link ReadModel}; the HTTP threads
 * (virtual threads) never touch engine state. Every {@code /v1} route needs an API key (401), is rate-limited
 * per key (429) and checks which accounts the key may see (404, the same for an account that does not exist); bodies
 * are size-limited (413) and read with the CLI's readers (400 naming the field).
 *
 * <p>Routes: {@code POST /v1/commands}, {@code GET /v1/accounts}, {@code GET /v1/accounts/{id}},
 * {@code GET /v1/accounts/{id}/history}, {@code POST /v1/accounts/{id}/orders}, {@code POST /v1/accounts/{id}/whatif},
 * {@code GET /v1/index}, {@code GET /v1/feed}, {@code GET /v1/stream} (WebSocket), {@code GET /metrics},
 * {@code GET /health}, {@code GET /openapi.json} and the dashboard at {@code /}. docs/service.md and
 * docs/openapi.json describe them.
 *
 * <p>Thread-safe; {@link #close} stops the server, then the engine (after the commands already queued).
 */
public final class UpmService implements AutoCloseable {
    private static final String KEY = "upm.key";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String STARTED = "upm.t0";
    private final ServiceConfig config;
    private final AtomicReference<KeyStore> keys;
    private final ReadModel read;
    private final EngineBackend engine;
    private final ServiceMetrics metrics;
    private final RateLimiter limiter;
    private final Javalin app;
    private final String openApi;
    private final java.util.concurrent.atomic.AtomicLong keysCheckedNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.nio.file.attribute.FileTime keysModified;

    private UpmService(ServiceConfig config, KeyStore keys, java.util.function.Function<ReadModel, EngineBackend> backend) {
        this.config = config.check();
        this.keys = new AtomicReference<>(keys);
        this.read = new ReadModel(config.streamCapacity());
        this.engine = backend.apply(read);
        this.metrics = new ServiceMetrics(read, engine);
        this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), System::nanoTime);
        this.openApi = resource("/openapi.json");
        this.keysModified = modified(config.keysFile());
        StreamRoutes stream = new StreamRoutes(this.keys::get, read.stream(), config.streamQueue());
        try {
            this.app = create(stream);
            app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private Javalin create(StreamRoutes stream) {
        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/dashboard";
                sf.location = Location.CLASSPATH;
            });
            c.routes.before(this::before);
            c.routes.after(this::after);
            c.routes.exception(Exception.class, (e, ctx) -> error(ctx, e));
            c.routes.post("/v1/commands", this::commands);
            c.routes.get("/v1/accounts", this::accounts);
            c.routes.get("/v1/accounts/{id}", this::account);
            c.routes.get("/v1/accounts/{id}/history", this::history);
            c.routes.post("/v1/accounts/{id}/orders", this::order);
            c.routes.post("/v1/accounts/{id}/whatif", this::whatIf);
            c.routes.get("/v1/accounts/{id}/hedge", this::hedge);
            c.routes.post("/v1/accounts/{id}/options", this::options);
            c.routes.get("/v1/index", this::index);
            c.routes.get("/v1/feed", this::feed);
            c.routes.ws("/v1/stream", stream::configure);
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
            c.routes.get("/health", this::health);
            c.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{\"error\"")) {
                    json(ctx, 404, errorBody("", "no such route: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    /**
     * Opens the journal and starts serving.
     *
     * @param config the settings
     * @param keys   the API keys
     * @param params parameters for a new journal (null: defaults, or the journal's own)
     * @return the running service
     */
    public static UpmService start(ServiceConfig config, KeyStore keys, MarginParameters params) {
        return new UpmService(config, keys, read -> EngineHost.open(config.journal(), params, read,
            config.revalueMillis(), config.revalueMaxAccounts()));
    }

    /**
     * Starts serving in front of a Kafka cluster of engines ({@code upm serve --bootstrap}): no journal and no engine
     * in this process; commands go through the cluster's ingest and the read model is rebuilt from the cluster's
     * committed events before the first request is served (docs/service.md, "The service in front of a cluster").
     * The journal and valuation settings of {@code config} are not used.
     *
     * @param config  the settings of the HTTP edge
     * @param keys    the API keys
     * @param cluster where the cluster is and how to write to it
     * @return the running service
     */
    public static UpmService startOnCluster(ServiceConfig config, KeyStore keys, ClusterSettings cluster) {
        return new UpmService(config, keys, read -> ClusterHost.open(cluster.check(), read));
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** The engine behind the service, in process or a cluster (to hand it commands, e.g. the demo's). */
    public EngineBackend engine() {
        return engine;
    }

    /** The published read model. */
    public ReadModel readModel() {
        return read;
    }

    /** The metrics. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** Replaces the API keys (a key file written again). */
    public void keys(KeyStore store) {
        keys.set(store);
    }

    private static String resource(String name) {
        try (InputStream in = UpmService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- filters ----------------------------------------------------------------------------------------------

    /** The key file's modification time, or null. */
    private static java.nio.file.attribute.FileTime modified(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads the key file again when it changed ({@code upm keys add} while the service runs), at most once a second;
     * a file that no longer reads keeps the keys in use.
     */
    private void reloadKeysIfChanged() {
        long now = System.nanoTime();
        long last = keysCheckedNanos.get();
        if (now - last < 1_000_000_000L || !keysCheckedNanos.compareAndSet(last, now)) {
            return;
        }
        java.nio.file.attribute.FileTime m = modified(config.keysFile());
        if (m != null && !m.equals(keysModified)) {
            try {
                keys.set(KeyStore.read(config.keysFile()));
                keysModified = m;
            } catch (RuntimeException e) {
                // a half-written or broken file: keep the keys in use
            }
        }
    }

    private void before(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        reloadKeysIfChanged();
        long length = ctx.contentLength();
        if (length > config.maxBodyBytes()) {
            throw new ApiException(413, "", "request body of " + length + " bytes; at most " + config.maxBodyBytes());
        }
        String path = ctx.path();
        if (path.startsWith("/v1/") && !path.equals("/v1/stream")) {
            String token = io.upm.service.http.StreamRoutes.bearer(ctx.header("Authorization"));
            Optional<ApiKey> key = keys.get().authenticate(token);
            if (key.isEmpty()) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "Authorization", token == null
                    ? "missing: Authorization: Bearer <key>" : "not a valid API key");
            }
            if (!limiter.tryAcquire(key.get().id())) {
                ctx.header("Retry-After", Long.toString(limiter.retryAfterSeconds()));
                throw new ApiException(429, "", "rate limit of " + config.ratePerSecond() + " requests a second (burst "
                    + config.rateBurst() + ") exceeded for this key");
            }
            ctx.attribute(KEY, key.get());
        }
    }

    private void after(Context ctx) {
        Long t0 = ctx.attribute(STARTED);
        String route;
        try {
            route = ctx.endpoint().path;
        } catch (RuntimeException e) {
            route = "unmatched";
        }
        if (route.startsWith("/") && !route.startsWith("/v1") && !route.equals("/metrics") && !route.equals("/health")
            && !route.equals("/openapi.json")) {
            route = "static";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(), t0 == null ? 0 : System.nanoTime() - t0);
    }

    private void error(Context ctx, Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        switch (t) {
            case ApiException a -> json(ctx, a.status(), errorBody(a.field(), a.getMessage()));
            case InputException i -> json(ctx, 400, ErrorLine.json(i));
            case TimeoutException x -> json(ctx, 503, errorBody("", "the engine did not answer within "
                + config.requestTimeout().toMillis() + " ms"));
            case io.javalin.http.HttpResponseException h -> json(ctx, h.getStatus(), errorBody("", h.getMessage()));
            default -> json(ctx, engine.healthy() ? 500 : 503, errorBody("", engine.healthy()
                ? "internal error: " + t.getClass().getSimpleName() : "the engine stopped: " + engine.failure()));
        }
    }

    private static String errorBody(String field, String message) {
        return JsonOutput.compact().startObject().startObject("error").string("field", field)
            .string("message", message == null ? "" : message).endObject().endObject().finish();
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static ApiKey key(Context ctx) {
        return ctx.attribute(KEY);
    }

    /** The account of the path if the key may see it; 404 otherwise (the same answer as for no such account). */
    private String visibleAccount(Context ctx) {
        String id = ctx.pathParam("id");
        if (!key(ctx).maySee(id)) {
            throw ApiException.noSuchAccount();
        }
        return id;
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    // ---- routes -----------------------------------------------------------------------------------------------

    private void commands(Context ctx) throws Exception {
        if (key(ctx).role() != Role.OPERATOR) {
            throw new ApiException(403, "", "only an operator key may send commands");
        }
        List<String> lines = Requests.commands(ctx.body(), config.maxCommands());
        for (String l : lines) {
            metrics.command(typeOf(l));
        }
        long t0 = System.nanoTime();
        EngineBackend.Submitted s = await(engine.submit(lines));
        metrics.commandLatency("/v1/commands", System.nanoTime() - t0);
        json(ctx, 200, submitted(s));
    }

    private static String typeOf(String line) {
        int at = line.indexOf("\"type\":\"");
        if (at < 0) {
            return "unknown";
        }
        int end = line.indexOf('"', at + 8);
        return end < 0 ? "unknown" : line.substring(at + 8, end);
    }

    private static String submitted(EngineBackend.Submitted s) {
        return "{\"firstSeq\":" + s.firstSeq() + ",\"lastSeq\":" + s.lastSeq() + ",\"events\":["
            + String.join(",", s.events()) + "]}";
    }

    private void accounts(Context ctx) {
        ApiKey key = key(ctx);
        JsonOutput out = JsonOutput.compact().startObject().integer("seq", read.lastSeq()).startArray("accounts");
        for (AccountView v : read.accounts()) {
            if (key.maySee(v.account())) {
                writeAccount(out, v);
            }
        }
        json(ctx, 200, out.endArray().endObject().finish());
    }

    private static void writeAccount(JsonOutput out, AccountView v) {
        out.startObject().string("account", v.account()).number("equity", v.equity())
            .number("initialMargin", v.initialMargin()).number("maintenanceMargin", v.maintenanceMargin())
            .numberOrNull("marginRatio", v.marginRatio()).string("status", v.status().wireName())
            .integer("seq", v.seq());
        if (v.time() >= 0) {
            out.string("time", java.time.Instant.ofEpochMilli(v.time()).toString());
        }
        out.string("source", v.source()).endObject();
    }

    /**
     * The engine's own answer: a {@code report} command at the engine's time, through the journal like any command
     * (so it is exactly what {@code upm engine} would answer, resting orders included, and a replay reproduces it).
     */
    private void account(Context ctx) throws Exception {
        String id = visibleAccount(ctx);
        metrics.command("report");
        long t0 = System.nanoTime();
        EngineBackend.Submitted s = await(engine.submit(now -> List.of(JsonOutput.compact().startObject()
            .string("type", "report").string("time", now.toString()).string("account", id).endObject().finish()), 1));
        metrics.commandLatency("/v1/accounts/{id}", System.nanoTime() - t0);
        for (String line : s.events()) {
            com.fasterxml.jackson.databind.JsonNode e = MAPPER.readTree(line);
            if ("report".equals(e.path("type").asText())) {
                com.fasterxml.jackson.databind.node.ObjectNode report =
                    (com.fasterxml.jackson.databind.node.ObjectNode) e.get("report");
                report.set("openOrdersInitialMargin", e.get("openOrdersInitialMargin"));
                json(ctx, 200, MAPPER.writeValueAsString(report));
                return;
            }
        }
        throw ApiException.noSuchAccount(); // rejected: no such account, or no market yet
    }

    private void history(Context ctx) {
        String id = visibleAccount(ctx);
        if (read.account(id).isEmpty()) {
            throw ApiException.noSuchAccount();
        }
        JsonOutput out = JsonOutput.compact().startObject().string("account", id).startArray("points");
        for (HistoryPoint p : read.history(id)) {
            out.startObject().integer("seq", p.seq());
            if (p.time() >= 0) {
                out.string("time", java.time.Instant.ofEpochMilli(p.time()).toString());
            }
            out.number("equity", p.equity()).number("maintenanceMargin", p.maintenanceMargin())
                .number("initialMargin", p.initialMargin()).endObject();
        }
        json(ctx, 200, out.endArray().endObject().finish());
    }

    private void order(Context ctx) throws Exception {
        String id = visibleAccount(ctx);
        if (key(ctx).role() == Role.VIEWER) {
            throw new ApiException(403, "", "a viewer key reads only; orders need a trader or operator key");
        }
        Requests.OrderRequest order = Requests.order(id, ctx.body());
        metrics.command("order");
        long t0 = System.nanoTime();
        EngineBackend.Submitted s = await(engine.submit(now -> List.of(order.line(now)), 1));
        metrics.commandLatency("/v1/accounts/{id}/orders", System.nanoTime() - t0);
        json(ctx, 200, submitted(s));
    }

    /**
     * The engine's {@code hedge} query ({@code ?goal=healthy|min-mm|target-ratio:R&maxTrades=K}), journaled like a
     * report: the optimiser's plan for the account at the engine's time, the {@code hedge} event as it is.
     */
    private void hedge(Context ctx) throws Exception {
        String id = visibleAccount(ctx);
        String goalText = ctx.queryParam("goal");
        String maxText = ctx.queryParam("maxTrades");
        Optional<io.upm.hedge.HedgeGoal> goal = goalText == null ? Optional.empty()
            : Optional.of(io.upm.hedge.HedgeGoal.parse(goalText, "goal"));
        java.util.OptionalInt maxTrades = java.util.OptionalInt.empty();
        if (maxText != null) {
            int k;
            try {
                k = Integer.parseInt(maxText.trim());
            } catch (NumberFormatException e) {
                throw new InputException("maxTrades", "expected an integer, got \"" + maxText + "\"");
            }
            if (k < 1 || k > io.upm.hedge.HedgeOptimizer.MAX_TRADES_LIMIT) {
                throw new InputException("maxTrades", "must be 1 to " + io.upm.hedge.HedgeOptimizer.MAX_TRADES_LIMIT
                    + ", got " + k);
            }
            maxTrades = java.util.OptionalInt.of(k);
        }
        java.util.OptionalInt max = maxTrades;
        metrics.command("hedge");
        long t0 = System.nanoTime();
        EngineBackend.Submitted s = await(engine.submit(now -> List.of(io.upm.engine.codec.CommandWriter.toJsonLine(
            new io.upm.engine.command.HedgeCommand(now, id, goal, max))), 1));
        metrics.commandLatency("/v1/accounts/{id}/hedge", System.nanoTime() - t0);
        for (String line : s.events()) {
            com.fasterxml.jackson.databind.JsonNode e = MAPPER.readTree(line);
            if ("hedge".equals(e.path("type").asText())) {
                json(ctx, 200, line);
                return;
            }
            if ("rejected".equals(e.path("type").asText()) && !"account".equals(e.path("field").asText("account"))) {
                throw new ApiException(409, "", e.path("reason").asText());
            }
        }
        throw ApiException.noSuchAccount(); // rejected: no such account, or no market yet
    }

    /**
     * Sets the account's options ({@code {"hedgeFirst": true|false}}): the engine's {@code account} command, by the
     * account's trader or an operator; 200 with the {@code accepted} event.
     */
    private void options(Context ctx) throws Exception {
        String id = visibleAccount(ctx);
        if (key(ctx).role() == Role.VIEWER) {
            throw new ApiException(403, "", "a viewer key reads only; account options need a trader or operator key");
        }
        com.fasterxml.jackson.databind.JsonNode root = io.upm.formats.TreeFields.object(
            io.upm.formats.DocumentParser.parseJson(ctx.body()), "");
        io.upm.formats.TreeFields.onlyKeys(root, "", java.util.Set.of("hedgeFirst"));
        com.fasterxml.jackson.databind.JsonNode v = io.upm.formats.TreeFields.required(root, "hedgeFirst", "");
        if (!v.isBoolean()) {
            throw new InputException("hedgeFirst", "expected true or false, got " + io.upm.formats.TreeFields.typeName(v));
        }
        boolean on = v.booleanValue();
        metrics.command("account");
        long t0 = System.nanoTime();
        EngineBackend.Submitted s = await(engine.submit(now -> List.of(io.upm.engine.codec.CommandWriter.toJsonLine(
            new io.upm.engine.command.AccountOptionsCommand(now, id, on))), 1));
        metrics.commandLatency("/v1/accounts/{id}/options", System.nanoTime() - t0);
        json(ctx, 200, submitted(s));
    }

    private void whatIf(Context ctx) throws Exception {
        String id = visibleAccount(ctx);
        List<MarginCalculator.Order> orders = Requests.whatIf(ctx.body(), config.maxWhatIfOrders());
        Optional<WhatIf> w = await(engine.whatIf(id, orders));
        if (w.isEmpty()) {
            throw ApiException.noSuchAccount();
        }
        json(ctx, 200, WhatIfWriter.toJson(w.get()));
    }

    private void index(Context ctx) {
        JsonOutput out = JsonOutput.compact().startObject().startArray("assets");
        for (IndexView v : read.index()) {
            out.startObject().string("asset", v.asset()).number("price", v.price()).startArray("sources");
            for (String s : v.sources()) {
                out.string(s);
            }
            out.endArray().string("status", v.status()).integer("seq", v.seq());
            if (v.time() >= 0) {
                out.string("time", java.time.Instant.ofEpochMilli(v.time()).toString());
            }
            out.endObject();
        }
        json(ctx, 200, out.endArray().endObject().finish());
    }

    private void feed(Context ctx) {
        ApiKey key = key(ctx);
        StringBuilder sb = new StringBuilder("{\"insuranceFund\":").append(jsonNumber(read.insuranceBalance()))
            .append(",\"events\":[");
        boolean first = true;
        for (String line : read.feed()) {
            String account = accountOfLine(line);
            if (account == null ? key.seesAll() || line.contains("\"type\":\"insurance\"") : key.maySee(account)) {
                sb.append(first ? "" : ",").append(line);
                first = false;
            }
        }
        json(ctx, 200, sb.append("]}").toString());
    }

    private static String jsonNumber(double x) {
        return JsonOutput.compact().startArray().number(x).endArray().finish().replace("[", "").replace("]", "");
    }

    private static String accountOfLine(String line) {
        return ReadModel.accountOf(io.upm.engine.codec.EventReader.read(line));
    }

    private void health(Context ctx) {
        boolean up = engine.healthy();
        json(ctx, up ? 200 : 503, JsonOutput.compact().startObject().string("status", up ? "up" : "down")
            .integer("lastSeq", engine.appliedSeq()).integer("journalLag", engine.queuedCommands())
            .integer("accounts", read.accounts().size()).endObject().finish());
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            engine.close();
        }
    }
}
