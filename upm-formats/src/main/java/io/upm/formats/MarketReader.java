package io.upm.formats;

import static io.upm.formats.TreeFields.child;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.product.ExpiryCodes;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Reads a market snapshot document (FORMATS.md, "Market snapshot"): {@code time} (ISO-8601 instant) and
 * {@code prices} are required; {@code forwards} (underlying to expiry code to price), {@code marks}
 * (perpetual name to price), {@code vols} (underlying to either {@code {"flat": v}} or expiry code to
 * strike to vol), {@code correlations} ({@code "A/B"} to rho), {@code adv} (underlying to USD) and
 * {@code rate} are optional. Each value is validated by {@link MarketSnapshot.Builder}, which names it
 * ({@code prices.BTC}, {@code vols.BTC.27MAR26.90000}); the structure is checked here just as strictly
 * as by {@link PortfolioReader}.
 *
 * <p>Stateless and thread-safe.
 */
public final class MarketReader {
    private static final Set<String> ROOT_KEYS = Set.of("time", "prices", "forwards", "marks", "vols", "correlations",
        "adv", "rate");

    private MarketReader() {
    }

    /**
     * Reads a market snapshot file (UTF-8 JSON).
     *
     * @throws InputException naming the offending field; field "" for a problem with the file as a whole
     */
    public static MarketSnapshot read(Path file) {
        return read(DocumentParser.readText(file), file.toString());
    }

    /**
     * Reads a market snapshot from JSON text.
     *
     * @param json       the document
     * @param sourceName where it came from (a file name, "request body"); errors carry only the field, so
     *                   callers print it with {@link ErrorLine#format(String, InputException)}
     * @throws InputException naming the offending field; field "" for a problem with the document as a whole
     */
    public static MarketSnapshot read(String json, String sourceName) {
        return fromTree(DocumentParser.parseJson(json), "");
    }

    /** The snapshot in a parsed tree whose root is at {@code path} ("" for a whole document). */
    static MarketSnapshot fromTree(JsonNode root, String path) {
        try {
            return fromTree(root);
        } catch (InputException e) {
            throw path.isEmpty() ? e : e.under(path);
        }
    }

    private static MarketSnapshot fromTree(JsonNode root) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", ROOT_KEYS);
        String timeText = TreeFields.string(TreeFields.required(root, "time", ""), "time");
        Instant time;
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeException e) {
            throw new InputException("time", "\"" + timeText + "\" is not an ISO-8601 instant such as 2025-11-25T08:00:00Z");
        }
        MarketSnapshot.Builder b = MarketSnapshot.builder(time);

        JsonNode prices = TreeFields.object(TreeFields.required(root, "prices", ""), "prices");
        for (Map.Entry<String, JsonNode> e : TreeFields.entries(prices)) {
            b.price(e.getKey(), TreeFields.number(e.getValue(), child("prices", e.getKey())));
        }

        JsonNode forwards = root.get("forwards");
        if (forwards != null) {
            TreeFields.object(forwards, "forwards");
            for (Map.Entry<String, JsonNode> u : TreeFields.entries(forwards)) {
                String uPath = child("forwards", u.getKey());
                TreeFields.object(u.getValue(), uPath);
                for (Map.Entry<String, JsonNode> e : TreeFields.entries(u.getValue())) {
                    b.forward(u.getKey(), e.getKey(), TreeFields.number(e.getValue(), child(uPath, e.getKey())));
                }
            }
        }

        JsonNode marks = root.get("marks");
        if (marks != null) {
            TreeFields.object(marks, "marks");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(marks)) {
                b.mark(e.getKey(), TreeFields.number(e.getValue(), child("marks", e.getKey())));
            }
        }

        JsonNode vols = root.get("vols");
        if (vols != null) {
            TreeFields.object(vols, "vols");
            for (Map.Entry<String, JsonNode> u : TreeFields.entries(vols)) {
                vols(b, u.getKey(), u.getValue(), child("vols", u.getKey()));
            }
        }

        JsonNode correlations = root.get("correlations");
        if (correlations != null) {
            TreeFields.object(correlations, "correlations");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(correlations)) {
                b.correlation(e.getKey(), TreeFields.number(e.getValue(), child("correlations", e.getKey())));
            }
        }

        JsonNode adv = root.get("adv");
        if (adv != null) {
            TreeFields.object(adv, "adv");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(adv)) {
                b.adv(e.getKey(), TreeFields.number(e.getValue(), child("adv", e.getKey())));
            }
        }

        JsonNode rate = root.get("rate");
        if (rate != null) {
            b.rate(TreeFields.number(rate, "rate"));
        }
        return b.build();
    }

    /** One underlying's vols: {"flat": v} or expiry code to strike to vol. */
    private static void vols(MarketSnapshot.Builder b, String underlying, JsonNode surface, String path) {
        TreeFields.object(surface, path);
        if (surface.isEmpty()) {
            throw new InputException(path, "no vols: give {\"flat\": vol} or expiries with strikes");
        }
        for (Map.Entry<String, JsonNode> e : TreeFields.entries(surface)) {
            String ePath = child(path, e.getKey());
            if (e.getKey().equals("flat")) {
                b.flatVol(underlying, TreeFields.number(e.getValue(), ePath));
                continue;
            }
            try {
                ExpiryCodes.parse(e.getKey(), ePath);
            } catch (InputException bad) {
                // a misspelt "flat" would otherwise read as a malformed expiry only
                throw bad.problem().contains("is not DMMMYY") ? new InputException(ePath, bad.problem()
                    + ", nor \"flat\"") : bad;
            }
            TreeFields.object(e.getValue(), ePath);
            if (e.getValue().isEmpty()) {
                throw new InputException(ePath, "expiry has no strikes");
            }
            for (Map.Entry<String, JsonNode> k : TreeFields.entries(e.getValue())) {
                b.vol(underlying, e.getKey(), k.getKey(), TreeFields.number(k.getValue(), child(ePath, k.getKey())));
            }
        }
    }
}
