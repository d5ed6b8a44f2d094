package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An edit instruction of the toy grammar:
 *
 * <pre>
 *   make the {square|circle|triangle} {colour}      recolour every shape of that kind (sampled scenes have one)
 *   make the background {colour}                    replace the background by a plain colour
 *   make it grayscale | invert the colours          a global edit
 *   add stripes to the background                   paint bands of one colour over the background
 * </pre>
 *
 * with colours from {@link ToyColor} (a shape is never made black). {@link #text()} and {@link
 * #parse} are inverse. The stripes have many right results (any colour, orientation, spacing and
 * shift, see {@link ToyEdit}); every other instruction has exactly one.
 */
public sealed interface ToyInstruction
    permits ToyInstruction.RecolourShape,
        ToyInstruction.RecolourBackground,
        ToyInstruction.Global,
        ToyInstruction.StripeBackground {
  /** The instruction in words, lower case, single spaces. */
  String text();

  /** The instruction's family, which the sampler balances and the benchmarks report separately. */
  ToyFamily family();

  /** "make the {shape} {colour}". */
  record RecolourShape(ShapeKind shape, ToyColor colour) implements ToyInstruction {
    public RecolourShape {
      if (!ToyColor.shapeColours().contains(colour))
        throw new IllegalArgumentException("a shape cannot be " + colour);
    }

    @Override
    public String text() {
      return "make the " + shape.word() + " " + colour.word();
    }

    @Override
    public ToyFamily family() {
      return ToyFamily.SHAPE;
    }
  }

  /** "make the background {colour}". */
  record RecolourBackground(ToyColor colour) implements ToyInstruction {
    static final String WORD = "background";

    @Override
    public String text() {
      return "make the " + WORD + " " + colour.word();
    }

    @Override
    public ToyFamily family() {
      return ToyFamily.BACKGROUND;
    }
  }

  /** A global edit, e.g. "make it grayscale". */
  record Global(GlobalEdit edit) implements ToyInstruction {
    @Override
    public String text() {
      return edit.text();
    }

    @Override
    public ToyFamily family() {
      return edit == GlobalEdit.GRAYSCALE ? ToyFamily.GRAYSCALE : ToyFamily.INVERT;
    }
  }

  /** "add stripes to the background". */
  record StripeBackground() implements ToyInstruction {
    static final String TEXT = "add stripes to the " + RecolourBackground.WORD;

    @Override
    public String text() {
      return TEXT;
    }

    @Override
    public ToyFamily family() {
      return ToyFamily.PATTERN;
    }
  }

  /**
   * The instruction these words say. Case, surrounding and repeated white space and a final full
   * stop do not matter.
   *
   * @throws IllegalArgumentException when the words are not in the grammar
   */
  public static ToyInstruction parse(String text) {
    String norm =
        text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\.$", "");
    for (GlobalEdit g : GlobalEdit.values()) {
      if (g.text().equals(norm)) return new Global(g);
    }
    if (norm.equals(StripeBackground.TEXT)) return new StripeBackground();
    String[] w = norm.split(" ");
    ToyColor colour =
        w.length == 4 && w[0].equals("make") && w[1].equals("the") ? ToyColor.ofWord(w[3]) : null;
    if (colour != null && w[2].equals(RecolourBackground.WORD))
      return new RecolourBackground(colour);
    ShapeKind shape = colour == null ? null : ShapeKind.ofWord(w[2]);
    if (shape != null && colour != ToyColor.BLACK) return new RecolourShape(shape, colour);
    throw new IllegalArgumentException("not a toy instruction: '" + text + "'");
  }

  /** Every instruction of the grammar. */
  public static List<ToyInstruction> all() {
    List<ToyInstruction> out = new ArrayList<>();
    for (ShapeKind k : ShapeKind.values()) {
      for (ToyColor c : ToyColor.shapeColours()) out.add(new RecolourShape(k, c));
    }
    for (ToyColor c : ToyColor.values()) out.add(new RecolourBackground(c));
    for (GlobalEdit g : GlobalEdit.values()) out.add(new Global(g));
    out.add(new StripeBackground());
    return out;
  }

  /** Every word the grammar can produce, sorted, each once. */
  public static List<String> vocabulary() {
    TreeSet<String> words = new TreeSet<>();
    for (ToyInstruction i : all()) words.addAll(Arrays.asList(i.text().split(" ")));
    return List.copyOf(words);
  }
}
