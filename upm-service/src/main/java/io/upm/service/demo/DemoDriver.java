package io.upm.service.demo;

import io.upm.service.engine.EngineBackend;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code upm serve --demo}: builds the {@link DemoVenue} (when the journal is new) and replays the {@link CrashPath}
 * through the engine thread at a watchable speed (one 4-hour step per {@code stepMillis} of wall time), then goes on
 * with a calm seeded random walk so that the dashboard keeps moving. It is a client like any other: it hands
 * {@code market} commands to the {@link EngineBackend} and waits for their events.
 *
 * <p>Runs on its own thread; {@link #close} stops it.
 */
public final class DemoDriver implements AutoCloseable {
    private final EngineBackend engine;
    private final CrashPath path;
    private final long stepMillis;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long stepsDone;

    private DemoDriver(EngineBackend engine, CrashPath path, long stepMillis, Consumer<String> log) {
        this.engine = engine;
        this.path = path;
        this.stepMillis = stepMillis;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("upm-demo").start(this::run);
    }

    /**
     * Starts the demo.
     *
     * @param engine     the engine behind the service
     * @param path       the price path
     * @param accounts   accounts of the venue
     * @param stepMillis wall time per step, ms
     * @param log        one line per notable moment (the venue built, the replay's end)
     */
    public static DemoDriver start(EngineBackend engine, CrashPath path, int accounts, long stepMillis, Consumer<String> log)
        throws Exception {
        if (engine.clock().get(10, TimeUnit.SECONDS).isEmpty()) {
            DemoVenue venue = DemoVenue.create(path, accounts, 7L);
            engine.submit(venue.setup()).get(30, TimeUnit.SECONDS);
            log.accept("demo: " + accounts + " accounts built (" + venue.setup().size() + " commands); replaying "
                + path.source());
        } else {
            log.accept("demo: the journal already holds a venue; replaying " + path.source() + " from its clock");
        }
        return new DemoDriver(engine, path, stepMillis, log);
    }

    /** Steps sent so far. */
    public long stepsDone() {
        return stepsDone;
    }

    private void run() {
        try {
            Instant clock = engine.clock().get(10, TimeUnit.SECONDS).orElse(Instant.EPOCH);
            CrashPath.Step last = null;
            for (CrashPath.Step s : path.steps()) {
                if (!running) {
                    return;
                }
                last = s;
                if (!s.time().isAfter(clock)) {
                    continue; // a restarted demo: the journal is past this step
                }
                step(s);
            }
            log.accept("demo: crash replay done; a calm random walk follows");
            SplittableRandom rnd = new SplittableRandom(11L);
            Instant t = last == null ? clock : last.time();
            double btc = last == null ? 8000 : last.btc();
            double eth = last == null ? 200 : last.eth();
            while (running) {
                t = t.plusSeconds(4 * 3600);
                btc = Math.round(btc * Math.exp(0.01 * (rnd.nextDouble() - 0.5)) * 100) / 100.0;
                eth = Math.round(eth * Math.exp(0.012 * (rnd.nextDouble() - 0.5)) * 100) / 100.0;
                if (t.isAfter(clock)) {
                    step(new CrashPath.Step(t, btc, eth));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {
                log.accept("demo: stopped: " + e);
            }
        }
    }

    private void step(CrashPath.Step s) throws Exception {
        engine.submit(List.of(DemoVenue.market(s.time(), s.btc(), s.eth(), false))).get(30, TimeUnit.SECONDS);
        stepsDone++;
        Thread.sleep(stepMillis);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
