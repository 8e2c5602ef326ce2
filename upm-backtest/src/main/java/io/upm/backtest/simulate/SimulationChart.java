package io.upm.backtest.simulate;

import io.upm.input.InputException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws one or several runs on the same window with XChart, three panels in one PNG: BTC's real price and the price
 * each policy's liquidations made; the cumulative liquidated notional; the insurance fund. Stateless.
 */
public final class SimulationChart {
    /** Width, pixels. */
    public static final int WIDTH = 1200;
    /** Height of one panel, pixels. */
    public static final int PANEL = 380;
    private static final Color[] COLORS = {new Color(0, 100, 0), new Color(200, 60, 40), new Color(60, 90, 200)};

    private SimulationChart() {
    }

    /** The three panels. */
    public static List<XYChart> charts(List<SimulationResult> results) {
        MarketPaths p = results.get(0).paths();
        String u = p.underlyings().get(0);
        XYChart price = chart("BTC price: real path and with each policy's liquidations", "USD");
        XYChart cum = chart("cumulative liquidated notional", "USD");
        XYChart fund = chart("insurance fund", "USD");
        int stride = Math.max(1, p.minutes() / 1500);
        List<Date> t = new ArrayList<>();
        List<Double> real = new ArrayList<>();
        for (int m = 0; m <= p.minutes(); m += stride) {
            t.add(Date.from(p.start().plusSeconds(60L * m)));
            real.add(p.price(u, m));
        }
        XYSeries r = price.addSeries("real " + u, t, real);
        r.setMarker(SeriesMarkers.NONE);
        r.setLineColor(Color.GRAY);
        for (int k = 0; k < results.size(); k++) {
            SimulationResult res = results.get(k);
            Color c = COLORS[k % COLORS.length];
            String name = res.policy().wireName();
            double[] sp = res.simulatedPrice(u);
            List<Double> sim = new ArrayList<>();
            for (int m = 0; m <= p.minutes(); m += stride) {
                sim.add(sp[m]);
            }
            XYSeries s = price.addSeries(name, t, sim);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(c);
            double[] perMinute = new double[p.minutes() + 1];
            for (SimulationResult.StepRecord x : res.steps()) {
                perMinute[x.minute()] += x.step().notionalUsd();
            }
            List<Double> cumulative = new ArrayList<>();
            double acc = 0;
            for (int m = 0; m <= p.minutes(); m++) {
                acc += perMinute[m];
                if (m % stride == 0) {
                    cumulative.add(acc);
                }
            }
            XYSeries cs = cum.addSeries(name, t, cumulative);
            cs.setMarker(SeriesMarkers.NONE);
            cs.setLineColor(c);
            List<Date> ft = new ArrayList<>();
            res.fundTimes().forEach(x -> ft.add(Date.from(x)));
            XYSeries fs = fund.addSeries(name, ft, res.fundPath());
            fs.setMarker(SeriesMarkers.NONE);
            fs.setLineColor(c);
        }
        return List.of(price, cum, fund);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(PANEL).title(title).xAxisTitle("time (UTC)").yAxisTitle(y)
            .build();
        org.knowm.xchart.style.XYStyler s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setDecimalPattern("#,###");
        s.setAntiAlias(true);
        c.getStyler().setDatePattern("MM-dd HH:mm");
        return c;
    }

    /**
     * Writes the panels as one PNG.
     *
     * @throws InputException naming {@code --plot} for a file that does not end in .png or cannot be written
     */
    public static void write(List<SimulationResult> results, Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new InputException("--plot", "the file must end in .png: " + file);
        }
        List<XYChart> charts = charts(results);
        BufferedImage img = new BufferedImage(WIDTH, PANEL * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int k = 0; k < charts.size(); k++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(k)), 0, k * PANEL, null);
        }
        g.dispose();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new InputException("--plot", "cannot write " + file + ": " + e.getMessage());
        }
    }
}
