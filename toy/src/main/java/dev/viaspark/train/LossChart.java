package dev.viaspark.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Loss curves as a PNG: one panel per training phase, the loss of every step in light grey and its
 * exponential moving average on top, on a logarithmic scale.
 */
final class LossChart {
  static final int PANEL_WIDTH = 480;
  static final int PANEL_HEIGHT = 300;
  static final int MARGIN = 48;

  private final Map<String, List<Float>> phases = new LinkedHashMap<>();

  /** The chart of a {@code train-log.tsv} (phase, step, seconds, lr, loss; a header line first). */
  static LossChart fromLog(Path log) throws IOException {
    LossChart chart = new LossChart();
    List<String> lines = Files.readAllLines(log);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split("\t");
      chart.add(f[0], Float.parseFloat(f[4]));
    }
    return chart;
  }

  void add(String phase, float loss) {
    phases.computeIfAbsent(phase, k -> new ArrayList<>()).add(loss);
  }

  void write(Path png) throws IOException {
    int n = Math.max(1, phases.size());
    BufferedImage image =
        new BufferedImage(n * PANEL_WIDTH, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int panel = 0;
    for (Map.Entry<String, List<Float>> e : phases.entrySet()) {
      draw(g, panel++ * PANEL_WIDTH, e.getKey(), e.getValue());
    }
    g.dispose();
    Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
    ImageIO.write(image, "png", tmp.toFile());
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void draw(Graphics2D g, int left, String name, List<Float> losses) {
    double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
    for (float l : losses) {
      if (l > 0) {
        lo = Math.min(lo, Math.log10(l));
        hi = Math.max(hi, Math.log10(l));
      }
    }
    if (lo > hi) return;
    lo = Math.floor(lo);
    hi = Math.ceil(Math.max(hi, lo + 1));
    int x0 = left + MARGIN,
        y0 = PANEL_HEIGHT - MARGIN,
        w = PANEL_WIDTH - 2 * MARGIN,
        h = PANEL_HEIGHT - 2 * MARGIN;
    g.setColor(Color.BLACK);
    g.drawRect(x0, y0 - h, w, h);
    g.drawString(name + " loss (" + losses.size() + " steps)", x0, y0 - h - 8);
    g.drawString("step", x0 + w / 2 - 12, y0 + 32);
    for (int decade = (int) lo; decade <= (int) hi; decade++) {
      int y = y0 - (int) Math.round((decade - lo) / (hi - lo) * h);
      g.drawString("1e" + decade, x0 - 40, y + 4);
    }
    g.drawString("0", x0, y0 + 16);
    g.drawString(String.valueOf(losses.size()), x0 + w - 24, y0 + 16);
    double smoothed = Double.NaN;
    int[] px = new int[losses.size()], py = new int[losses.size()], sy = new int[losses.size()];
    for (int i = 0; i < losses.size(); i++) {
      float l = Math.max(losses.get(i), 1e-12f);
      smoothed = Double.isNaN(smoothed) ? l : 0.98 * smoothed + 0.02 * l;
      px[i] = x0 + (int) Math.round(i * (double) w / Math.max(1, losses.size() - 1));
      py[i] = y0 - (int) Math.round((Math.log10(l) - lo) / (hi - lo) * h);
      sy[i] = y0 - (int) Math.round((Math.log10(smoothed) - lo) / (hi - lo) * h);
    }
    g.setClip(x0, y0 - h, w + 1, h + 1);
    g.setColor(new Color(200, 200, 200));
    g.drawPolyline(px, py, px.length);
    g.setColor(new Color(30, 90, 200));
    g.setStroke(new BasicStroke(2f));
    g.drawPolyline(px, sy, px.length);
    g.setStroke(new BasicStroke(1f));
    g.setClip(null);
  }
}
