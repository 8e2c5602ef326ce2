package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the daily CSV files: the calendar, missing values, returns and the errors that name the file. */
class DailyHistoryTest {

    @TempDir
    Path dir;

    private void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text);
    }

    private void writeAll() throws IOException {
        write("btc_usdt_binance_1d.csv", """
            date,open,high,low,close,volume
            2021-01-01,1,1,1,100,5
            2021-01-02,1,1,1,110,5
            2021-01-03,1,1,1,99,5
            2021-01-04,1,1,1,121,5
            """);
        write("eth_usdt_binance_1d.csv", """
            date,open,high,low,close,volume
            2021-01-03,1,1,1,10,5
            2021-01-04,1,1,1,12,5
            """);
        write("sol_usdt_binance_1d.csv", """
            date,open,high,low,close,volume
            2021-01-04,1,1,1,2,5
            """);
        write("btc_dvol_deribit_1d.csv", """
            date,open,high,low,close
            2021-01-02,80,90,70,85.5
            2021-01-03,80,90,70,60
            """);
        write("eth_dvol_deribit_1d.csv", """
            date,open,high,low,close
            2021-01-04,80,90,70,95
            """);
    }

    @Test
    void theCalendarIsBtcsAndOtherAssetsAreMissingBeforeTheyStart() throws IOException {
        writeAll();
        DailyHistory h = DailyHistory.load(dir);
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.assets()).containsExactly("BTC", "ETH", "SOL");
        assertThat(h.date(0)).isEqualTo(LocalDate.of(2021, 1, 1));
        assertThat(h.indexOf(LocalDate.of(2021, 1, 3))).isEqualTo(2);
        assertThat(h.indexOf(LocalDate.of(2020, 12, 31))).isEqualTo(-1);
        assertThat(h.close("BTC", 1)).isEqualTo(110.0);
        assertThat(h.close("ETH", 1)).isNaN();
        assertThat(h.close("ETH", 2)).isEqualTo(10.0);
        assertThat(h.close("SOL", 3)).isEqualTo(2.0);
    }

    @Test
    void impliedVolIsDvolOverAHundredAndSolNeverHasOne() throws IOException {
        writeAll();
        DailyHistory h = DailyHistory.load(dir);
        assertThat(h.impliedVol("BTC", 0)).isNaN();
        assertThat(h.impliedVol("BTC", 1)).isCloseTo(0.855, within(1e-12));
        assertThat(h.impliedVol("ETH", 3)).isCloseTo(0.95, within(1e-12));
        for (int i = 0; i < h.size(); i++) {
            assertThat(h.impliedVol("SOL", i)).isNaN();
        }
    }

    @Test
    void logReturnsAreNaNAtTheStartAndAcrossMissingDays() throws IOException {
        writeAll();
        DailyHistory h = DailyHistory.load(dir);
        assertThat(h.logReturn("BTC", 0)).isNaN();
        assertThat(h.logReturn("BTC", 1)).isCloseTo(Math.log(1.1), within(1e-15));
        assertThat(h.logReturn("ETH", 2)).isNaN();
        assertThat(h.logReturn("ETH", 3)).isCloseTo(Math.log(1.2), within(1e-15));
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        writeAll();
        Files.delete(dir.resolve("eth_dvol_deribit_1d.csv"));
        assertThatThrownBy(() -> DailyHistory.load(dir)).isInstanceOf(InputException.class)
            .hasMessageContaining("eth_dvol_deribit_1d.csv").hasMessageContaining("file not found");
    }

    @Test
    void aBadCloseIsNamedWithItsFileLineAndColumn() throws IOException {
        writeAll();
        write("sol_usdt_binance_1d.csv", """
            date,open,high,low,close,volume
            2021-01-03,1,1,1,2,5
            2021-01-04,1,1,1,abc,5
            """);
        assertThatThrownBy(() -> DailyHistory.load(dir)).isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).endsWith("sol_usdt_binance_1d.csv:3:close"))
            .hasMessageContaining("not a number");
    }

    @Test
    void badDatesDatesOutOfOrderAndMissingColumnsAreRejected() throws IOException {
        writeAll();
        write("btc_usdt_binance_1d.csv", "date,open,high,low,close,volume\n2021-01-01,1,1,1,1,1\n2021-02-30,1,1,1,1,1\n");
        assertThatThrownBy(() -> DailyHistory.load(dir)).hasMessageContaining("btc_usdt_binance_1d.csv:3:date")
            .hasMessageContaining("2021-02-30");
        write("btc_usdt_binance_1d.csv", "date,open,high,low,close,volume\n2021-01-02,1,1,1,1,1\n2021-01-01,1,1,1,1,1\n");
        assertThatThrownBy(() -> DailyHistory.load(dir)).hasMessageContaining("dates must increase");
        write("btc_usdt_binance_1d.csv", "date,open,high,low,volume\n2021-01-02,1,1,1,1\n");
        assertThatThrownBy(() -> DailyHistory.load(dir)).hasMessageContaining("missing column \"close\"");
        write("btc_usdt_binance_1d.csv", "date,open,high,low,close,volume\n2021-01-02,1,1,1,-5,1\n");
        assertThatThrownBy(() -> DailyHistory.load(dir)).hasMessageContaining("must be positive");
    }

    @Test
    void aDataFolderThatIsNotOneIsRejected() {
        assertThatThrownBy(() -> DailyHistory.load(dir.resolve("nope"))).isInstanceOf(InputException.class)
            .hasMessageContaining("not a directory");
    }

    @Test
    void ofCopiesItsArraysAndFillsAbsentAssetsWithNaN() {
        double[] btc = {1, 2, 4};
        DailyHistory h = DailyHistory.of(TestHistories.days(3), Map.of("BTC", btc), Map.of());
        btc[0] = 99;
        assertThat(h.close("BTC", 0)).isEqualTo(1.0);
        assertThat(h.close("SOL", 2)).isNaN();
        assertThat(h.logReturn("BTC", 2)).isCloseTo(Math.log(2), within(1e-15));
        assertThatThrownBy(() -> DailyHistory.of(TestHistories.days(2), Map.of("BTC", btc), Map.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DailyHistory.of(List.of(LocalDate.of(2021, 1, 2), LocalDate.of(2021, 1, 1)),
            Map.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
