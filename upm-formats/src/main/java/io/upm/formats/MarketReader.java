package io.upm.formats;

import static io.upm.formats.TreeFields.child;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import io.upm.market.MarketFields;
import io.upm.market.MarketSnapshot;
import io.upm.product.ExpiryCodes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Reads a market snapshot document (FORMATS.md, "Market snapshot"): {@code time} (ISO-8601 instant) and
 * {@code prices} are required; {@code forwards} (underlying to expiry code to price), {@code marks}
 * (perpetual name to price), {@code vols} (underlying to either {@code {"flat": v}} or expiry code to
 * strike to vol), {@code correlations} ({@code "A/B"} to rho), {@code adv} (underlying to USD) and
 * {@code rate} are optional. Each leaf is checked as it is read by {@link MarketFields.Builder} (the checks of
 * {@link MarketSnapshot.Builder}), which names it ({@code prices.BTC}, {@code vols.BTC.27MAR26.90000}), and the
 * whole by {@link MarketSnapshot.Builder#build()}; the structure is checked here just as strictly as by
 * {@link PortfolioReader}. {@link #readFields} reads the same members with none required, for the live
 * engine's {@code market} command.
 *
 * <p>Stateless and thread-safe.
 */
public final class MarketReader {
    /**
     * The members of a market snapshot document: {@code time}, {@code prices}, {@code forwards}, {@code marks},
     * {@code vols}, {@code correlations}, {@code adv} and {@code rate}.
     */
    public static final Set<String> FIELD_NAMES = Set.of("time", "prices", "forwards", "marks", "vols",
        "correlations", "adv", "rate");

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
        TreeFields.onlyKeys(root, "", FIELD_NAMES);
        Instant time = TreeFields.instant(TreeFields.required(root, "time", ""), "time");
        TreeFields.object(TreeFields.required(root, "prices", ""), "prices");
        return readFields(root, time).toSnapshot(time);
    }

    /**
     * The snapshot members of a JSON object, none of them required: what a live engine's {@code market} command
     * carries. Reads {@code prices}, {@code forwards}, {@code marks}, {@code vols}, {@code correlations},
     * {@code adv} and {@code rate} where present, as strictly as a whole snapshot document, each leaf checked by
     * {@link MarketFields.Builder}; ignores every other member ({@code time} among them: the caller reads it, and
     * rejects the members it does not know, e.g. with {@link TreeFields#onlyKeys} and {@link #FIELD_NAMES}).
     *
     * @param object the object, at the root of its document (the errors name {@code prices.BTC})
     * @param time   the time the fields come with: no forward or vol slice may expire before it
     * @return the fields
     * @throws InputException naming the offending field
     */
    public static MarketFields readFields(JsonNode object, Instant time) {
        TreeFields.object(object, "");
        MarketFields.Builder b = MarketFields.builder(time);

        JsonNode prices = object.get("prices");
        if (prices != null) {
            TreeFields.object(prices, "prices");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(prices)) {
                b.price(e.getKey(), TreeFields.number(e.getValue(), child("prices", e.getKey())));
            }
        }

        JsonNode forwards = object.get("forwards");
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

        JsonNode marks = object.get("marks");
        if (marks != null) {
            TreeFields.object(marks, "marks");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(marks)) {
                b.mark(e.getKey(), TreeFields.number(e.getValue(), child("marks", e.getKey())));
            }
        }

        JsonNode vols = object.get("vols");
        if (vols != null) {
            TreeFields.object(vols, "vols");
            for (Map.Entry<String, JsonNode> u : TreeFields.entries(vols)) {
                vols(b, u.getKey(), u.getValue(), child("vols", u.getKey()));
            }
        }

        JsonNode correlations = object.get("correlations");
        if (correlations != null) {
            TreeFields.object(correlations, "correlations");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(correlations)) {
                b.correlation(e.getKey(), TreeFields.number(e.getValue(), child("correlations", e.getKey())));
            }
        }

        JsonNode adv = object.get("adv");
        if (adv != null) {
            TreeFields.object(adv, "adv");
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(adv)) {
                b.adv(e.getKey(), TreeFields.number(e.getValue(), child("adv", e.getKey())));
            }
        }

        JsonNode rate = object.get("rate");
        if (rate != null) {
            b.rate(TreeFields.number(rate, "rate"));
        }
        return b.build();
    }

    /** One underlying's vols: {"flat": v} or expiry code to strike to vol. */
    private static void vols(MarketFields.Builder b, String underlying, JsonNode surface, String path) {
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
