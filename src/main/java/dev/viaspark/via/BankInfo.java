package dev.viaspark.via;

/**
 * What every bank knows of itself besides its entries: steps held, guidance branches, anchor
 * frames.
 */
abstract class BankInfo implements KvBank {
  private final int steps;
  private final int branches;
  private final int[] anchorFrames;

  BankInfo(int steps, int branches, int[] anchorFrames) {
    this.steps = steps;
    this.branches = branches;
    this.anchorFrames = anchorFrames.clone();
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int branches() {
    return branches;
  }

  @Override
  public int[] anchorFrames() {
    return anchorFrames.clone();
  }
}
