package org.azalea.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The four figures, as PNG and SVG: fig4 (compute jobs/min over users),
 * fig5 (shared-workload scalability), noise (detour histograms) and calls
 * (ns per call).  Oversubscribed points lie in a shaded band.  Headless.
 */
final class Charts {
    static final int W = 900, H = 560;
    private static final List<String> SYSTEMS = List.of("azalea", "linux", "native");

    private Charts() {}

    static void writeAll(Results r, Path dir, int hostCpus) throws IOException {
        System.setProperty("java.awt.headless", "true");
        save(fig4(r.points(), hostCpus), dir, "fig4");
        save(fig5(r.points(), hostCpus), dir, "fig5");
        save(noise(r.noise()), dir, "noise");
        save(calls(r.calls()), dir, "calls");
    }

    static JFreeChart fig4(List<Point> points, int hostCpus) {
        YIntervalSeriesCollection data = series(points, "fig4", Point::jpm, p -> p.jpmMin(), p -> p.jpmMax());
        return xy(
                "Fig. 4: compute workload, one unikernel of N cores vs Linux on N CPUs vs native",
                "users (= cores)",
                "jobs/min (median, min-max)",
                data,
                true,
                points,
                "fig4",
                hostCpus);
    }

    static JFreeChart fig5(List<Point> points, int hostCpus) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String s : SYSTEMS) {
            YIntervalSeries ser = new YIntervalSeries(s);
            Point one = points.stream()
                    .filter(p -> p.figure().equals("fig5") && p.system().equals(s) && p.cores() == 1 && p.jpm() > 0)
                    .findFirst()
                    .orElse(null);
            if (one == null) continue;
            for (Point p : points) {
                if (!p.figure().equals("fig5") || !p.system().equals(s) || p.jpm() <= 0) continue;
                double base = one.jpm();
                ser.add(
                        p.cores(),
                        p.jpm() / p.cores() / base,
                        p.jpmMin() / p.cores() / base,
                        p.jpmMax() / p.cores() / base);
            }
            data.addSeries(ser);
        }
        return xy(
                "Fig. 5: shared workload, jobs/min per core relative to one core",
                "cores (Azalea: FWK on quadrant 0, users split over unikernels on quadrants 1-3)",
                "scalability (jobs/min per core / jobs/min at 1 core)",
                data,
                false,
                points,
                "fig5",
                hostCpus);
    }

    static JFreeChart noise(List<NoisePoint> noise) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (NoisePoint n : noise) {
            if (n.result() == null) continue;
            String series = n.system() + " " + n.mode()
                    + String.format(" (%.2f%% lost)", n.result().lost() * 100);
            for (NoiseResult.Bucket b : n.result().buckets())
                d.addValue(
                        Math.max(b.count(), 0.5),
                        series,
                        label(b.loNs()) + (b.hiNs() > 1e15 ? "+" : "-" + label(b.hiNs())));
        }
        JFreeChart c = org.jfree.chart.ChartFactory.createBarChart(
                "OS noise: fixed-work-quanta detours (count per detour length)",
                "detour length",
                "quanta (log)",
                d,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        CategoryPlot plot = c.getCategoryPlot();
        LogAxis log = plainLog("quanta (log; 0 drawn as 0.5)");
        log.setSmallestValue(0.5);
        plot.setRangeAxis(log);
        return style(c);
    }

    static JFreeChart calls(List<CallPoint> calls) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (CallPoint p : calls) d.addValue(p.ns(), p.system(), p.op());
        JFreeChart c = org.jfree.chart.ChartFactory.createBarChart(
                "Per-call cost: Azalea (offloaded) vs the Linux guest's kernel vs native",
                "call (small file)",
                "ns per call (median, log)",
                d,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        LogAxis log = plainLog("ns per call (median, log)");
        log.setSmallestValue(1);
        c.getCategoryPlot().setRangeAxis(log);
        return style(c);
    }

    /** A log axis labelled with plain numbers (not powers of ten). */
    private static LogAxis plainLog(String label) {
        LogAxis a = new LogAxis(label);
        a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        return a;
    }

    private static String label(double ns) {
        return ns >= 1e6 ? (long) (ns / 1e6) + "ms" : ns >= 1e3 ? (long) (ns / 1e3) + "us" : (long) ns + "ns";
    }

    private static YIntervalSeriesCollection series(
            List<Point> points,
            String figure,
            ToDoubleFunction<Point> y,
            ToDoubleFunction<Point> lo,
            ToDoubleFunction<Point> hi) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String s : SYSTEMS) {
            YIntervalSeries ser = new YIntervalSeries(s);
            for (Point p : points)
                if (p.figure().equals(figure) && p.system().equals(s) && p.jpm() > 0)
                    ser.add(p.users(), y.applyAsDouble(p), lo.applyAsDouble(p), hi.applyAsDouble(p));
            if (ser.getItemCount() > 0) data.addSeries(ser);
        }
        return data;
    }

    private static JFreeChart xy(
            String title,
            String x,
            String y,
            YIntervalSeriesCollection data,
            boolean logY,
            List<Point> points,
            String figure,
            int hostCpus) {
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        NumberAxis xAxis = new NumberAxis(x);
        xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, xAxis, logY ? plainLog(y) : new NumberAxis(y), r);
        // Oversubscribed: more busy vCPUs than the host has CPUs.
        double from = points.stream()
                .filter(p -> p.figure().equals(figure)
                        && p.oversubscribed()
                        && !p.system().equals("native"))
                .mapToDouble(p -> figure.equals("fig4") ? p.users() : p.cores())
                .min()
                .orElse(Double.NaN);
        if (!Double.isNaN(from)) {
            IntervalMarker m = new IntervalMarker(from - 0.5, 1e6, new Color(255, 200, 120, 80));
            m.setLabel("oversubscribed: busy vCPUs > " + hostCpus + " host CPUs");
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        }
        for (int i = 0; i < data.getSeriesCount(); i++) r.setSeriesStroke(i, new BasicStroke(2f));
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    private static JFreeChart style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.getPlot().setBackgroundPaint(new Color(248, 248, 248));
        return c;
    }

    private static void save(JFreeChart c, Path dir, String name) throws IOException {
        ChartUtils.saveChartAsPNG(dir.resolve(name + ".png").toFile(), c, W, H);
        SVGGraphics2D g = new SVGGraphics2D(W, H);
        c.draw(g, new Rectangle(0, 0, W, H));
        Files.writeString(dir.resolve(name + ".svg"), g.getSVGDocument());
    }

    static Map<String, String> files() {
        return Map.of("fig4", "fig4.png", "fig5", "fig5.png", "noise", "noise.png", "calls", "calls.png");
    }
}
