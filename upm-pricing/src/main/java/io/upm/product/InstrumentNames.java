package io.upm.product;

import io.upm.input.InputException;
import java.time.Instant;

/**
 * Parses Deribit-style instrument names (FORMATS.md): {@code BTC-PERPETUAL}, {@code BTC_USDC-PERPETUAL},
 * {@code BTC-27MAR26}, {@code BTC_USDC-27MAR26}, {@code BTC-26DEC25-100000-C},
 * {@code BTC_USDC-26DEC25-100000-P}. Any underlying code of upper-case letters and digits works; the
 * settlement currency after {@code _} may be USDC or USDT. Strikes may use {@code d} as the decimal mark
 * ({@code XRP_USDC-27MAR26-0d625-C}) as Deribit does, or a plain decimal point.
 *
 * <p>Stateless and thread-safe.
 */
public final class InstrumentNames {
    private InstrumentNames() {
    }

    /**
     * The instrument a name denotes.
     *
     * @param name  the name
     * @param field the field it came from, for the error message
     * @throws InputException naming {@code field} if the name is malformed
     */
    public static Instrument parse(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw new InputException(field, "instrument name is empty");
        }
        String[] parts = name.split("-", -1);
        String head = parts[0];
        String underlying;
        Settlement settlement;
        int us = head.indexOf('_');
        if (us < 0) {
            underlying = head;
            settlement = Settlement.INVERSE;
        } else {
            underlying = head.substring(0, us);
            String quote = head.substring(us + 1);
            if (!quote.equals("USDC") && !quote.equals("USDT")) {
                throw new InputException(field, "unknown settlement currency \"" + quote + "\" in \"" + name
                    + "\" (expected USDC or USDT)");
            }
            settlement = Settlement.LINEAR;
        }
        if (!isAssetCode(underlying)) {
            throw new InputException(field, "bad underlying \"" + underlying + "\" in \"" + name + "\"");
        }
        if (parts.length == 2 && parts[1].equals("PERPETUAL")) {
            return new Perpetual(name, underlying, settlement);
        }
        if (parts.length == 2) {
            Instant expiry = ExpiryCodes.parse(parts[1], field);
            return new Future(name, underlying, settlement, expiry);
        }
        if (parts.length == 4) {
            Instant expiry = ExpiryCodes.parse(parts[1], field);
            double strike = parseStrike(parts[2], name, field);
            OptionType type = switch (parts[3]) {
                case "C" -> OptionType.CALL;
                case "P" -> OptionType.PUT;
                default -> throw new InputException(field, "option type \"" + parts[3] + "\" is neither C nor P in \""
                    + name + "\"");
            };
            return new EuropeanOption(name, underlying, settlement, expiry, strike, type);
        }
        throw new InputException(field, "unrecognised instrument name \"" + name
            + "\" (expected e.g. BTC-PERPETUAL, BTC_USDC-27MAR26, BTC-26DEC25-100000-C)");
    }

    /** True for an asset code: 1 to 12 upper-case letters or digits, starting with a letter. */
    public static boolean isAssetCode(String s) {
        if (s.isEmpty() || s.length() > 12 || !(s.charAt(0) >= 'A' && s.charAt(0) <= 'Z')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks an asset code ({@link #isAssetCode(String)}).
     *
     * @param s     the code; may be null
     * @param field the field it came from, for the error message
     * @return {@code s}
     * @throws InputException {@code "x" is not an asset code (upper-case letters and digits)} naming {@code field}
     */
    public static String requireAssetCode(String s, String field) {
        if (s == null || !isAssetCode(s)) {
            throw new InputException(field, "\"" + s + "\" is not an asset code (upper-case letters and digits)");
        }
        return s;
    }

    private static double parseStrike(String text, String name, String field) {
        String t = text.replace('d', '.');
        boolean ok = !t.isEmpty() && t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
            && t.chars().filter(c -> c == '.').count() <= 1 && !t.startsWith(".") && !t.endsWith(".");
        if (!ok) {
            throw new InputException(field, "bad strike \"" + text + "\" in \"" + name + "\"");
        }
        double k = Double.parseDouble(t);
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new InputException(field, "strike must be positive in \"" + name + "\"");
        }
        return k;
    }
}
