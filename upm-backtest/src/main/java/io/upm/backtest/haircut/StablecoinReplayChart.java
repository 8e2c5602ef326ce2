package io.upm.backtest.haircut;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a stablecoin-collateral replay with XChart: the account's equity under static tier haircuts and under dynamic
 * haircuts against its maintenance and initial margin (USD, left axis), and the stablecoin's price (right axis).
 * Stateless.
 */
public final class StablecoinReplayChart {
    /** Width of the image, pixels. */
    public static final int WIDTH = 1200;
    /** Height of the image, pixels. */
    public static final int HEIGHT = 650;

    private StablecoinReplayChart() {
    }

    /** The chart of a replay. */
    public static XYChart chart(StablecoinCollateralReplay.Result r) {
        StablecoinCollateralReplay.Scenario s = r.scenario();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title(String.format(Locale.ROOT, "%s collateral (%,.0f) vs a short BTC perpetual (%,.0f USD): static vs "
                + "dynamic haircuts", s.stablecoin(), s.collateralUnits(), s.shortNotionalUsd()))
            .xAxisTitle("date").yAxisTitle("USD").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setDatePattern("yyyy-MM-dd");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setDecimalPattern("#,###.##");
        chart.getStyler().setAntiAlias(true);
        List<Date> dates = new ArrayList<>();
        for (StablecoinCollateralReplay.Day d : r.staticTiers().days()) {
            dates.add(Date.from(d.date().atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        line(chart, "equity, static tiers", dates, r.staticTiers().days(), StablecoinCollateralReplay.Day::equity,
            new Color(70, 130, 180), 2f, null);
        line(chart, "equity, dynamic haircuts", dates, r.dynamic().days(), StablecoinCollateralReplay.Day::equity,
            new Color(200, 60, 30), 2f, null);
        line(chart, "maintenance margin", dates, r.dynamic().days(),
            StablecoinCollateralReplay.Day::maintenanceMargin, Color.BLACK, 1.2f, null);
        line(chart, "initial margin", dates, r.dynamic().days(), StablecoinCollateralReplay.Day::initialMargin,
            Color.GRAY, 1.2f, new float[] {6f, 4f});
        XYSeries price = line(chart, s.stablecoin() + " price (right axis)", dates, r.dynamic().days(),
            StablecoinCollateralReplay.Day::stablecoinPrice, new Color(0, 130, 0), 1f, new float[] {2f, 3f});
        price.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, s.stablecoin() + " USD");
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, List<Date> dates, List<StablecoinCollateralReplay.Day> days,
                                 ToDoubleFunction<StablecoinCollateralReplay.Day> f, Color color, float width,
                                 float[] dash) {
        List<Double> ys = new ArrayList<>();
        for (StablecoinCollateralReplay.Day d : days) {
            ys.add(f.applyAsDouble(d));
        }
        XYSeries series = chart.addSeries(name, dates, ys);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(dash == null ? new BasicStroke(width)
            : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
        return series;
    }

    /** Writes the chart of a replay as a PNG file (parent folders created). */
    public static void writePng(StablecoinCollateralReplay.Result r, Path png) {
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            BitmapEncoder.saveBitmap(chart(r), png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
