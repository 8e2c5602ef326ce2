package io.upm.backtest.report;

import io.upm.backtest.BacktestResult;
import io.upm.backtest.DayResult;
import io.upm.input.InputException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a backtest with XChart: the maintenance margin and the siloed baseline against the realised loss
 * over time, breaches marked in red. PNG or SVG by the file's extension. Stateless.
 */
public final class BacktestChart {
    /** Width of the image, pixels. */
    public static final int WIDTH = 1400;
    /** Height of the image, pixels. */
    public static final int HEIGHT = 700;

    private BacktestChart() {
    }

    /** The chart of a run. */
    public static XYChart chart(BacktestResult r) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title(String.format(Locale.ROOT, "%s, model %s: margin vs %s loss", r.strategy(), r.model(),
                r.horizonHours() > 0 ? r.horizonHours() + "-hour" : r.horizonDays() + "-day"))
            .xAxisTitle("date").yAxisTitle("USD").build();
        Styler s = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setDatePattern("yyyy-MM");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setDecimalPattern("#,###");
        s.setAntiAlias(true);
        List<Date> dates = new ArrayList<>();
        List<Double> mm = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<Date> breachDates = new ArrayList<>();
        List<Double> breachLoss = new ArrayList<>();
        for (DayResult d : r.days()) {
            Date date = Date.from(r.horizonHours() > 0 ? d.time() : d.date().atStartOfDay(ZoneOffset.UTC).toInstant());
            dates.add(date);
            mm.add(d.margin());
            std.add(d.standardMargin());
            loss.add(d.loss());
            if (d.breach()) {
                breachDates.add(date);
                breachLoss.add(d.loss());
            }
        }
        XYSeries lossSeries = chart.addSeries("realised loss", dates, loss);
        lossSeries.setMarker(SeriesMarkers.NONE);
        lossSeries.setLineColor(new Color(120, 120, 120));
        lossSeries.setLineStyle(new BasicStroke(0.8f));
        XYSeries stdSeries = chart.addSeries("standard (siloed) MM", dates, std);
        stdSeries.setMarker(SeriesMarkers.NONE);
        stdSeries.setLineColor(new Color(70, 130, 180));
        stdSeries.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {6f, 4f}, 0f));
        XYSeries mmSeries = chart.addSeries("maintenance margin (" + r.model() + ")", dates, mm);
        mmSeries.setMarker(SeriesMarkers.NONE);
        mmSeries.setLineColor(new Color(0, 100, 0));
        mmSeries.setLineStyle(new BasicStroke(1.6f));
        if (!breachDates.isEmpty()) {
            XYSeries b = chart.addSeries("breach (" + breachDates.size() + ")", breachDates, breachLoss);
            b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            b.setMarker(SeriesMarkers.CIRCLE);
            b.setMarkerColor(Color.RED);
        }
        return chart;
    }

    /**
     * Writes the chart of a run to {@code file}: PNG for {@code .png}, SVG for {@code .svg}.
     *
     * @throws InputException naming {@code --plot} for another extension or an unwritable file
     */
    public static void write(BacktestResult r, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        XYChart chart = chart(r);
        try {
            if (name.endsWith(".png")) {
                BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            } else if (name.endsWith(".svg")) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                throw new InputException("--plot", "the file must end in .png or .svg: " + file);
            }
        } catch (IOException e) {
            throw new InputException("--plot", "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** True when {@code file}'s extension is one {@link #write} supports. */
    public static boolean supports(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".svg");
    }
}
