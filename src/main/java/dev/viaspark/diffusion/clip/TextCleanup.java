package dev.viaspark.diffusion.clip;

import java.util.Locale;

/**
 * How the prompt is cleaned before the CLIP regex splits it. transformers' CLIPTokenizer picks one
 * at import time, depending on whether the ftfy package is installed; the two give the same ids for
 * plain ASCII and Latin text.
 */
public enum TextCleanup {
  /**
   * transformers without ftfy, which the reference pipeline ran with: BERT's BasicTokenizer
   * (control characters dropped, spaces around CJK ideographs, NFC, lowercase, accents kept). HTML
   * entities and curly quotes stay.
   */
  BASIC {
    @Override
    String apply(String text) {
      return BertBasicCleanup.clean(text);
    }
  },
  /**
   * transformers with ftfy installed (and OpenAI's own CLIP tokenizer): {@code ftfy.fix_text} (HTML
   * entities, curly quotes, ligatures, full-width forms, NFC), then whitespace collapse and
   * lowercase.
   */
  FTFY {
    @Override
    String apply(String text) {
      return Whitespace.collapse(FtfyTextFixer.fix(text)).toLowerCase(Locale.ROOT);
    }
  };

  /** The cleaned, lowercased text the CLIP regex runs on. */
  abstract String apply(String text);
}
