package io.upm.service.read;

import io.upm.engine.event.AcceptedEvent;
import io.upm.engine.event.Event;
import io.upm.engine.event.IndexEvent;
import io.upm.engine.event.InsuranceEvent;
import io.upm.engine.event.LiquidationEvent;
import io.upm.engine.event.MarginCallEvent;
import io.upm.engine.event.MarginEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.margin.AccountStatus;
import io.upm.service.engine.EngineHost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The published views the HTTP threads read: each account's latest figures and their history, each asset's index,
 * the feed of liquidations, margin calls and insurance-fund changes, and the event stream. Built on the engine thread
 * from the engine's events (and the service's valuations after price moves); every value it hands out is immutable
 * (records and copied lists), so readers never see a half-applied change of one account and never touch engine
 * state.
 *
 * <p>Written by the engine thread only; read by any thread.
 */
public final class ReadModel implements EngineHost.EventListener {
    /** History points kept per account. */
    public static final int HISTORY_POINTS = 400;
    /** Feed entries kept. */
    public static final int FEED_ENTRIES = 200;

    private final ConcurrentHashMap<String, AccountView> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<HistoryPoint>> histories = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, IndexView> index = new ConcurrentHashMap<>();
    private final EventStream stream;
    private volatile List<String> feed = List.of();
    private volatile double insuranceBalance;
    private volatile long lastSeq;
    private final AtomicLong liquidations = new AtomicLong();
    private final AtomicLong marginCalls = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();

    /** A read model whose stream keeps the last {@code streamCapacity} events. */
    public ReadModel(int streamCapacity) {
        this.stream = new EventStream(streamCapacity);
    }

    @Override
    public void events(List<String> lines, List<Event> events, List<Instant> times) {
        List<EventStream.Entry> entries = new ArrayList<>(lines.size());
        List<String> newFeed = null;
        for (int k = 0; k < lines.size(); k++) {
            Event e = events.get(k);
            String line = lines.get(k);
            long t = times.get(k) == null ? -1 : times.get(k).toEpochMilli();
            String account = accountOf(e);
            boolean marketWide = account == null && (e instanceof IndexEvent || e instanceof InsuranceEvent
                || e instanceof io.upm.engine.event.RecoveredEvent);
            boolean feedWorthy = false;
            switch (e) {
                case MarginEvent m -> {
                    AccountView before = accounts.get(m.account());
                    accounts.put(m.account(), new AccountView(m.account(), m.equity(), m.initialMargin(),
                        m.maintenanceMargin(), m.status(), m.seq(), t, "event"));
                    addPoint(m.account(), new HistoryPoint(m.seq(), t, m.equity(), m.maintenanceMargin(), m.initialMargin()));
                    feedWorthy = (m.status() == AccountStatus.LIQUIDATION || m.status() == AccountStatus.BANKRUPT)
                        && (before == null || before.status() != m.status());
                }
                case IndexEvent i -> index.put(i.asset(), new IndexView(i.asset(), i.price(), i.sources(),
                    i.status().name().toLowerCase(java.util.Locale.ROOT), i.seq(), t));
                case LiquidationEvent l -> {
                    liquidations.incrementAndGet();
                    feedWorthy = true;
                }
                case MarginCallEvent c -> {
                    marginCalls.incrementAndGet();
                    feedWorthy = true;
                }
                case InsuranceEvent i -> {
                    insuranceBalance = i.balance();
                    feedWorthy = true;
                }
                case RejectedEvent r -> rejections.incrementAndGet();
                default -> {
                }
            }
            if (feedWorthy) {
                if (newFeed == null) {
                    newFeed = new ArrayList<>(feed);
                }
                newFeed.add(line);
            }
            entries.add(new EventStream.Entry(e.seq(), account, marketWide, line));
            lastSeq = Math.max(lastSeq, e.seq());
        }
        if (newFeed != null) {
            feed = List.copyOf(newFeed.subList(Math.max(0, newFeed.size() - FEED_ENTRIES), newFeed.size()));
        }
        stream.append(entries);
    }

    @Override
    public void valuations(long seq, Instant time, List<EngineHost.AccountFigures> figures) {
        long t = time == null ? -1 : time.toEpochMilli();
        for (EngineHost.AccountFigures f : figures) {
            var r = f.result();
            AccountView before = accounts.get(f.account());
            if (before != null && before.seq() > seq) {
                continue;
            }
            accounts.put(f.account(), new AccountView(f.account(), r.equity(), r.initialMargin(), r.maintenanceMargin(),
                r.status(), seq, t, "valuation"));
            addPoint(f.account(), new HistoryPoint(seq, t, r.equity(), r.maintenanceMargin(), r.initialMargin()));
        }
    }

    /** Records the price of each asset a {@code market} command set, unless quote sources feed its index. */
    @Override
    public void marketPrices(long seq, Instant time, Map<String, Double> prices) {
        long t = time == null ? -1 : time.toEpochMilli();
        for (var p : prices.entrySet()) {
            IndexView v = index.get(p.getKey());
            if (v == null || v.sources().equals(List.of("market"))) {
                index.put(p.getKey(), new IndexView(p.getKey(), p.getValue(), List.of("market"), "ok", seq, t));
            }
        }
    }

    private void addPoint(String account, HistoryPoint p) {
        List<HistoryPoint> h = histories.getOrDefault(account, List.of());
        if (!h.isEmpty() && h.get(h.size() - 1).equals(p)) {
            return;
        }
        ArrayList<HistoryPoint> n = new ArrayList<>(Math.min(h.size() + 1, HISTORY_POINTS));
        n.addAll(h.subList(Math.max(0, h.size() + 1 - HISTORY_POINTS), h.size()));
        n.add(p);
        histories.put(account, List.copyOf(n));
    }

    /** The account an event concerns, or null ({@link Event#accountOf}). */
    public static String accountOf(Event e) {
        return Event.accountOf(e);
    }

    /** Every account's view, by id. */
    public List<AccountView> accounts() {
        List<AccountView> all = new ArrayList<>(accounts.values());
        all.sort(Comparator.comparing(AccountView::account));
        return all;
    }

    /** One account's view. */
    public Optional<AccountView> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    /** One account's history, oldest first. */
    public List<HistoryPoint> history(String id) {
        return histories.getOrDefault(id, List.of());
    }

    /** Every asset's index, by asset. */
    public List<IndexView> index() {
        List<IndexView> all = new ArrayList<>(index.values());
        all.sort(Comparator.comparing(IndexView::asset));
        return all;
    }

    /** The recent liquidations, margin calls, insurance changes and accounts falling into liquidation: JSON lines. */
    public List<String> feed() {
        return feed;
    }

    /** The insurance fund's balance at its last change (0 before any). */
    public double insuranceBalance() {
        return insuranceBalance;
    }

    /** Liquidation steps seen. */
    public long liquidations() {
        return liquidations.get();
    }

    /** Margin calls seen. */
    public long marginCalls() {
        return marginCalls.get();
    }

    /** Rejected commands seen. */
    public long rejections() {
        return rejections.get();
    }

    /** The highest seq seen in an event. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Accounts by status. */
    public Map<AccountStatus, Integer> statusCounts() {
        Map<AccountStatus, Integer> m = new EnumMap<>(AccountStatus.class);
        for (AccountStatus s : AccountStatus.values()) {
            m.put(s, 0);
        }
        for (AccountView v : accounts.values()) {
            m.merge(v.status(), 1, Integer::sum);
        }
        return m;
    }

    /** The event stream. */
    public EventStream stream() {
        return stream;
    }
}
