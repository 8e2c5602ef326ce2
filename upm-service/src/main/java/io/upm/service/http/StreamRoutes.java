package io.upm.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.upm.formats.DocumentParser;
import io.upm.formats.JsonOutput;
import io.upm.input.InputException;
import io.upm.service.read.EventStream;
import io.upm.service.security.ApiKey;
import io.upm.service.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /v1/stream}, the WebSocket: the events a key may see, in journal order, from a resume point.
 *
 * <p>Authentication: an {@code Authorization: Bearer} header on the upgrade (with {@code ?from=SEQ}), or, from a
 * browser (which cannot set headers on a WebSocket), a first message {@code {"key": "...", "from": SEQ}}. Then the
 * server sends {@code {"type":"stream","status":"subscribed","from":SEQ,"oldestKept":N}}, every kept event with seq >=
 * {@code from} that the key may see, and the live ones. {@code from} is the first seq the client has not fully seen
 * (after a reconnect: the last seq it received, again, or that plus one); without it only new events come. A trader
 * sees the events of its accounts and the market-wide ones (index, recovered, insurance-fund changes without an
 * account); a viewer or operator sees all.
 *
 * <p>Each connection has its own bounded queue and sender (a virtual thread): the engine thread only enqueues. A
 * client that falls {@code queueLimit} events behind is closed with 1008 and the seq to resume from.
 */
public final class StreamRoutes {
    private static final int POLICY = 1008;
    private final Supplier<KeyStore> keys;
    private final EventStream stream;
    private final int queueLimit;
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();

    /** The stream over {@code stream}; a client may fall {@code queueLimit} events behind. */
    public StreamRoutes(Supplier<KeyStore> keys, EventStream stream, int queueLimit) {
        this.keys = keys;
        this.stream = stream;
        this.queueLimit = queueLimit;
    }

    /** One client: its queue, its sender and how to unsubscribe. */
    private final class Connection {
        final WsContext ctx;
        final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final Runnable[] unsubscribe = new Runnable[1];
        volatile boolean subscribed;
        volatile boolean closed;
        volatile long lastSeq = -1;
        Thread sender;

        Connection(WsContext ctx) {
            this.ctx = ctx;
        }

        void offer(EventStream.Entry e) {
            if (closed) {
                return;
            }
            if (queue.size() >= queueLimit) {
                closed = true;
                queue.clear();
                queue.add("\u0000close:" + lastSeq);
                return;
            }
            queue.add(e.line());
        }

        void run() {
            try {
                while (true) {
                    String line = queue.take();
                    if (line.startsWith("\u0000close:")) {
                        ctx.closeSession(POLICY, "too slow: resume from seq " + line.substring(7));
                        return;
                    }
                    ctx.send(line);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                closed = true; // the client went away: onClose unsubscribes
            }
        }

        void stop() {
            closed = true;
            if (unsubscribe[0] != null) {
                unsubscribe[0].run();
            }
            if (sender != null) {
                sender.interrupt();
            }
        }
    }

    /** Installs the handlers. */
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            Connection c = new Connection(ctx);
            connections.put(ctx.sessionId(), c);
            String header = ctx.header("Authorization");
            if (header != null) {
                Optional<ApiKey> key = keys.get().authenticate(bearer(header));
                if (key.isEmpty()) {
                    refuse(ctx, "Authorization", "not a valid API key");
                    return;
                }
                long from;
                try {
                    from = parseFrom(ctx.queryParam("from"));
                } catch (InputException e) {
                    refuse(ctx, "from", e.problem());
                    return;
                }
                subscribe(c, key.get(), from);
            }
        });
        ws.onMessage(ctx -> {
            Connection c = connections.get(ctx.sessionId());
            if (c == null || c.subscribed) {
                return; // nothing to say once subscribed
            }
            JsonNode m;
            try {
                m = DocumentParser.parseJson(ctx.message());
            } catch (InputException e) {
                refuse(ctx, e.field(), e.problem());
                return;
            }
            JsonNode k = m.get("key");
            Optional<ApiKey> key = k != null && k.isTextual() ? keys.get().authenticate(k.textValue()) : Optional.empty();
            if (key.isEmpty()) {
                refuse(ctx, "key", "not a valid API key");
                return;
            }
            JsonNode f = m.get("from");
            if (f != null && !f.canConvertToLong()) {
                refuse(ctx, "from", "a seq (integer) expected");
                return;
            }
            subscribe(c, key.get(), f == null ? -1 : f.asLong());
        });
        ws.onClose(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) {
                c.stop();
            }
        });
        ws.onError(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) {
                c.stop();
            }
        });
    }

    private static long parseFrom(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InputException("from", "a seq (integer) expected, got \"" + text + "\"");
        }
    }

    private void subscribe(Connection c, ApiKey key, long from) {
        Predicate<EventStream.Entry> filter = key.seesAll() ? e -> true
            : e -> e.marketWide() || (e.account() != null && key.accounts().contains(e.account()));
        EventStream.Start start = stream.subscribe(from, filter, e -> {
            c.lastSeq = e.seq();
            c.offer(e);
        }, s -> {
            if (s.complete()) {
                c.queue.add(JsonOutput.compact().startObject().string("type", "stream").string("status", "subscribed")
                    .integer("from", from).integer("oldestKept", s.oldestKept()).string("role", key.role().wireName())
                    .endObject().finish());
            }
        }, c.unsubscribe);
        if (!start.complete()) {
            refuse(c.ctx, "from", "seq " + from + " is no longer kept; the oldest kept is " + start.oldestKept());
            return;
        }
        c.subscribed = true;
        c.sender = Thread.ofVirtual().name("upm-stream-" + c.ctx.sessionId()).start(c::run);
        if (!connections.containsKey(c.ctx.sessionId())) {
            c.stop(); // closed while subscribing
        }
    }

    private static void refuse(WsContext ctx, String field, String message) {
        ctx.send(JsonOutput.compact().startObject().string("type", "stream").string("status", "error")
            .startObject("error").string("field", field).string("message", message).endObject().endObject().finish());
        ctx.closeSession(POLICY, message.length() > 100 ? message.substring(0, 100) : message);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }
}
