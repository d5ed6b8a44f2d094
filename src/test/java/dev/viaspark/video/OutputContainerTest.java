package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which container an edited video is written in. */
class OutputContainerTest {
  @Test
  void theInputsOwnContainerWhenItHoldsTheCodecAndTheAudio() {
    assertEquals("mp4", OutputContainer.choose("clip.mp4", OutputCodec.H264, "aac").extension());
    assertEquals("mkv", OutputContainer.choose("clip.mkv", OutputCodec.H264, "opus").extension());
    assertEquals(
        "avi", OutputContainer.choose("clip.avi", OutputCodec.MPEG4, "pcm_s16le").extension());
  }

  @Test
  void h264IsNeverWrittenToAvi() {
    assertEquals("mp4", OutputContainer.choose("clip.avi", OutputCodec.H264, "aac").extension());
    assertEquals("mp4", OutputContainer.choose("clip.avi", OutputCodec.H264, null).extension());
    // FFmpeg's MP4 muxer carries PCM audio (ISO/IEC 23003-5), so the audio is still copied
    assertEquals(
        "mp4", OutputContainer.choose("clip.avi", OutputCodec.H264, "pcm_s16le").extension());
  }

  @Test
  void ffv1GoesToMatroska() {
    assertEquals("mkv", OutputContainer.choose("clip.mp4", OutputCodec.FFV1, "aac").extension());
  }
}
