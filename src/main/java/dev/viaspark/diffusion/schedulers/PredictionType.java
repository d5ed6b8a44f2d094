package dev.viaspark.diffusion.schedulers;

/** What the UNet predicts (diffusers' {@code prediction_type}). */
enum PredictionType {
  EPSILON,
  V_PREDICTION,
  SAMPLE;

  /** Null for unknown values; "original_sample" is diffusers' legacy spelling of "sample". */
  static PredictionType parse(String s) {
    return switch (s) {
      case "epsilon" -> EPSILON;
      case "v_prediction" -> V_PREDICTION;
      case "sample", "original_sample" -> SAMPLE;
      default -> null;
    };
  }
}
