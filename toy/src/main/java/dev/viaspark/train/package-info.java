/**
 * Training for the engine's own model classes, used to train the toy InstructPix2Pix model from
 * scratch on CPU: {@link TrainableTensors} makes a loaded model's tensors trainable, {@link
 * TrainingStep} runs one optimisation step with {@link Adam}, and {@link VaeTraining} and {@link
 * InstructPix2PixTraining} define the two phases' losses, with an {@link ExponentialMovingAverage}
 * of the weights. {@link ToyTrainer} runs a resumable training on data from {@code
 * dev.viaspark.toy} and writes a diffusers folder laid out by {@link ToyModelLayout}; {@link
 * ToyEvaluation} scores a checkpoint on held-out toy examples through the {@code ip2p} editor, and
 * {@link GrammarBpe} learns the model's CLIP-style vocabulary from the toy grammar. The job's
 * {@code train-toy} command calls it.
 */
package dev.viaspark.train;
