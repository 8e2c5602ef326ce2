package io.upm.service.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.upm.margin.AccountStatus;
import io.upm.service.engine.EngineBackend;
import io.upm.service.read.IndexView;
import io.upm.service.read.ReadModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's Micrometer meters, scraped as Prometheus text at {@code /metrics}: commands by type and their latency
 * (request to durable events), HTTP requests by route and status, accounts by status, index price and status per
 * asset, the journal's lag (commands queued, not yet durable and applied), the last applied seq, liquidation steps,
 * margin calls, rejections, the insurance fund and the stream's subscribers. No meter carries an account id.
 * Thread-safe.
 */
public final class ServiceMetrics {
    private static final List<String> INDEX_STATES = List.of("ok", "degraded", "stale");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ReadModel read;
    private final MultiGauge indexStatus;
    private final MultiGauge indexPrice;

    /** Meters over the read model and the engine behind the service (in process or a cluster). */
    public ServiceMetrics(ReadModel read, EngineBackend engine) {
        this.read = read;
        for (AccountStatus s : AccountStatus.values()) {
            Gauge.builder("upm.accounts", read, r -> r.statusCounts().get(s)).tag("status", s.wireName())
                .description("accounts by status (latest margin event or valuation)").register(registry);
        }
        Gauge.builder("upm.journal.lag", engine, EngineBackend::queuedCommands).baseUnit("commands")
            .description("commands handed to the engine thread and not yet durable and applied").register(registry);
        Gauge.builder("upm.engine.applied.seq", engine, EngineBackend::appliedSeq)
            .description("seq of the last applied command").register(registry);
        Gauge.builder("upm.engine.up", engine, e -> e.healthy() ? 1 : 0)
            .description("1 while the engine thread runs").register(registry);
        FunctionCounter.builder("upm.liquidations", read, ReadModel::liquidations)
            .description("liquidation steps (liquidation events)").register(registry);
        FunctionCounter.builder("upm.margin.calls", read, ReadModel::marginCalls)
            .description("margin-call events").register(registry);
        FunctionCounter.builder("upm.rejections", read, ReadModel::rejections)
            .description("rejected commands").register(registry);
        Gauge.builder("upm.insurance.fund", read, ReadModel::insuranceBalance).baseUnit("usd")
            .description("insurance fund balance at its last change").register(registry);
        Gauge.builder("upm.stream.subscribers", read, r -> r.stream().subscriberCount())
            .description("WebSocket clients subscribed").register(registry);
        indexStatus = MultiGauge.builder("upm.index.status")
            .description("1 for the asset's current index status, 0 for the others").register(registry);
        indexPrice = MultiGauge.builder("upm.index.price").baseUnit("usd")
            .description("the asset's index price").register(registry);
    }

    /** Counts a command handed to the engine, by type. */
    public void command(String type) {
        Counter.builder("upm.commands").tag("type", type).description("commands handed to the engine, by type")
            .register(registry).increment();
    }

    /** Records the wait from request to durable events of a batch of commands. */
    public void commandLatency(String route, long nanos) {
        Timer.builder("upm.command.latency").tag("route", route).publishPercentileHistogram(false)
            .description("from request to the command's durable events").register(registry)
            .record(Duration.ofNanos(nanos));
    }

    /** Records one HTTP request. */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("upm.http.requests").tags(Tags.of("method", method, "route", route, "status",
            Integer.toString(status))).register(registry).record(Duration.ofNanos(nanos));
    }

    /** The Prometheus text of every meter, refreshed from the read model. */
    public String scrape() {
        List<MultiGauge.Row<?>> status = new ArrayList<>();
        List<MultiGauge.Row<?>> price = new ArrayList<>();
        for (IndexView v : read.index()) {
            for (String s : INDEX_STATES) {
                status.add(MultiGauge.Row.of(Tags.of("asset", v.asset(), "status", s), s.equals(v.status()) ? 1 : 0));
            }
            price.add(MultiGauge.Row.of(Tags.of("asset", v.asset()), v.price()));
        }
        indexStatus.register(status, true);
        indexPrice.register(price, true);
        return registry.scrape();
    }

}
