package lab.epoll.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * One look for every chart: 900×500 PNGs (readable on GitHub without zooming), white background, the legend
 * in a row under the plot so it never covers a bar, and the variants' fixed colours. Rendering is headless:
 * the report runs inside Maven on machines without a display.
 */
final class ChartStyle {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartStyle() {}

    /** A bar chart with the lab's styling; series are added by the caller. */
    static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        apply(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    /** Colours the series in the order they were added: one colour per variant, the same in every chart. */
    static void colourByVariant(CategoryChart chart, List<String> variants) {
        chart.getStyler().setSeriesColors(variants.stream().map(Variants::color).toArray(Color[]::new));
    }

    /** Writes the chart as a PNG, after {@link #fit fitting} its bars and labels to what it holds. */
    static void save(CategoryChart chart, Path file) throws IOException {
        fit(chart);
        write(chart, file);
    }

    /** Writes any chart as a PNG, creating its folder. */
    static void write(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * Few bars stay slim instead of filling the plot; more than six categories tilt their labels so that labels
     * such as {@code 1,000 · 16 KiB} do not run into each other.
     */
    static void fit(CategoryChart chart) {
        int series = chart.getSeriesMap().size();
        int categories = chart.getSeriesMap().values().stream()
                .mapToInt(s -> s.getXData().size())
                .max()
                .orElse(0);
        boolean oneBarPerCategory =
                chart.getStyler().isStacked() || chart.getStyler().isOverlapped();
        int bars = oneBarPerCategory ? categories : series * categories;
        chart.getStyler().setAvailableSpaceFill(Math.min(0.8, 0.2 * bars));
        if (categories > 6 && chart.getStyler().getXAxisLabelRotation() == 0) {
            chart.getStyler().setXAxisLabelRotation(30);
        }
    }

    /** The lab's look, shared by bar and line charts. */
    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setErrorBarsColor(new Color(0x333333));
        styler.setChartPadding(12);
        styler.setAntiAlias(true);
    }
}
