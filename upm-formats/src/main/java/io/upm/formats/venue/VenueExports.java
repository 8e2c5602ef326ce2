package io.upm.formats.venue;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.DocumentParser;
import io.upm.input.InputException;
import java.nio.file.Path;

/** Reads one venue export file with the reader of its venue. */
public final class VenueExports {
    private VenueExports() {
    }

    /**
     * The holdings in a venue's export file (UTF-8 JSON).
     *
     * @param venue the venue whose export it is
     * @param file  the file
     * @throws InputException naming the offending field of the export; field "" for the file as a whole
     */
    public static VenueHoldings read(Venue venue, Path file) {
        return read(venue, DocumentParser.readText(file));
    }

    /**
     * The holdings in a venue's export.
     *
     * @param venue the venue whose export it is
     * @param json  the export's text
     * @throws InputException naming the offending field of the export; field "" for the document as a whole
     */
    public static VenueHoldings read(Venue venue, String json) {
        JsonNode root = DocumentParser.parseJson(json);
        return switch (venue) {
            case DERIBIT -> DeribitExport.read(root);
            case OKX -> OkxExport.read(root);
            case BINANCE -> BinanceExport.read(root);
            case BYBIT -> BybitExport.read(root);
        };
    }
}
