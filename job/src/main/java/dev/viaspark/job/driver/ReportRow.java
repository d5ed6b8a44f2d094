package dev.viaspark.job.driver;

import java.io.Serializable;

/**
 * One line of report.jsonl / report.parquet: one input video. A JavaBean so that Spark and Jackson
 * map it as is.
 */
public class ReportRow implements Serializable {
  private String input;
  private String output;
  private String status;
  private String error;
  private String warning;
  private String instruction;
  private String editor;
  private String codec;
  private String settingsHash;
  private long frames;
  private int segments;
  private int segmentsReused;
  private double durationSeconds;
  private double fps;
  private int width;
  private int height;
  private boolean hasAudio;
  private double secondsProbe;
  private double secondsDecode;
  private double secondsEdit;
  private double secondsEncode;
  private double secondsAssemble;
  private double secondsGather;
  private double secondsTta;
  private Integer ttaRootCandidate;
  private long bankBytes;
  private double secondsMetrics;
  private Double warpError;
  private Double sourceWarpError;
  private Double frameDiff;
  private Double sourceFrameDiff;
  private Integer scoredPairs;

  public String getInput() {
    return input;
  }

  public void setInput(String v) {
    input = v;
  }

  public String getOutput() {
    return output;
  }

  public void setOutput(String v) {
    output = v;
  }

  /** ok, failed or skipped (finished by an earlier run). */
  public String getStatus() {
    return status;
  }

  public void setStatus(String v) {
    status = v;
  }

  public String getError() {
    return error;
  }

  public void setError(String v) {
    error = v;
  }

  /** What the job did differently from the settings for this video, and why; null when nothing. */
  public String getWarning() {
    return warning;
  }

  public void setWarning(String v) {
    warning = v;
  }

  /** Adds a warning to the row's (joined with "; "); null adds nothing. */
  public void addWarning(String v) {
    if (v != null) warning = warning == null ? v : warning + "; " + v;
  }

  public String getInstruction() {
    return instruction;
  }

  public void setInstruction(String v) {
    instruction = v;
  }

  public String getEditor() {
    return editor;
  }

  public void setEditor(String v) {
    editor = v;
  }

  public String getCodec() {
    return codec;
  }

  public void setCodec(String v) {
    codec = v;
  }

  public String getSettingsHash() {
    return settingsHash;
  }

  public void setSettingsHash(String v) {
    settingsHash = v;
  }

  public long getFrames() {
    return frames;
  }

  public void setFrames(long v) {
    frames = v;
  }

  public int getSegments() {
    return segments;
  }

  public void setSegments(int v) {
    segments = v;
  }

  /** Segments found finished in the work dir (from an interrupted run) instead of edited again. */
  public int getSegmentsReused() {
    return segmentsReused;
  }

  public void setSegmentsReused(int v) {
    segmentsReused = v;
  }

  public double getDurationSeconds() {
    return durationSeconds;
  }

  public void setDurationSeconds(double v) {
    durationSeconds = v;
  }

  public double getFps() {
    return fps;
  }

  public void setFps(double v) {
    fps = v;
  }

  public int getWidth() {
    return width;
  }

  public void setWidth(int v) {
    width = v;
  }

  public int getHeight() {
    return height;
  }

  public void setHeight(int v) {
    height = v;
  }

  public boolean isHasAudio() {
    return hasAudio;
  }

  public void setHasAudio(boolean v) {
    hasAudio = v;
  }

  public double getSecondsProbe() {
    return secondsProbe;
  }

  public void setSecondsProbe(double v) {
    secondsProbe = v;
  }

  /**
   * Task seconds summed over the video's segments (decode, edit, encode), and the assemble task's
   * seconds.
   */
  public double getSecondsDecode() {
    return secondsDecode;
  }

  public void setSecondsDecode(double v) {
    secondsDecode = v;
  }

  public double getSecondsEdit() {
    return secondsEdit;
  }

  public void setSecondsEdit(double v) {
    secondsEdit = v;
  }

  public double getSecondsEncode() {
    return secondsEncode;
  }

  public void setSecondsEncode(double v) {
    secondsEncode = v;
  }

  public double getSecondsAssemble() {
    return secondsAssemble;
  }

  public void setSecondsAssemble(double v) {
    secondsAssemble = v;
  }

  public double getSecondsGather() {
    return secondsGather;
  }

  public void setSecondsGather(double v) {
    secondsGather = v;
  }

  /**
   * Of the gather seconds, those test-time adaptation took (0 without it or with a reused bank).
   */
  public double getSecondsTta() {
    return secondsTta;
  }

  public void setSecondsTta(double v) {
    secondsTta = v;
  }

  /**
   * The root candidate test-time adaptation tuned on (its preview is {@code
   * anchors/NAME/tta-candidate-N.png}); null without adaptation or with a reused bank.
   */
  public Integer getTtaRootCandidate() {
    return ttaRootCandidate;
  }

  public void setTtaRootCandidate(Integer v) {
    ttaRootCandidate = v;
  }

  public long getBankBytes() {
    return bankBytes;
  }

  public void setBankBytes(long v) {
    bankBytes = v;
  }

  /**
   * Task seconds spent on the temporal metrics (optical flow and warps), summed over the segments.
   */
  public double getSecondsMetrics() {
    return secondsMetrics;
  }

  public void setSecondsMetrics(double v) {
    secondsMetrics = v;
  }

  /**
   * Temporal consistency (null when report.temporal-metrics is off): mean absolute RGB difference
   * (0-255) between each output frame and the previous output frame warped by the source's optical
   * flow, over trusted pixels.
   */
  public Double getWarpError() {
    return warpError;
  }

  public void setWarpError(Double v) {
    warpError = v;
  }

  /** The same for the source frames: the floor a perfectly consistent edit reaches. */
  public Double getSourceWarpError() {
    return sourceWarpError;
  }

  public void setSourceWarpError(Double v) {
    sourceWarpError = v;
  }

  /** Mean absolute RGB difference of consecutive output frames, without motion compensation. */
  public Double getFrameDiff() {
    return frameDiff;
  }

  public void setFrameDiff(Double v) {
    frameDiff = v;
  }

  public Double getSourceFrameDiff() {
    return sourceFrameDiff;
  }

  public void setSourceFrameDiff(Double v) {
    sourceFrameDiff = v;
  }

  /**
   * Consecutive frame pairs scored: frames - segments (pairs across a segment boundary are not
   * scored).
   */
  public Integer getScoredPairs() {
    return scoredPairs;
  }

  public void setScoredPairs(Integer v) {
    scoredPairs = v;
  }
}
