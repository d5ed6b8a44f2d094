import dev.viaspark.video.DecodedFrame;
import dev.viaspark.video.EncoderSettings;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.Segment;
import dev.viaspark.video.SegmentPlanner;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.SegmentWriter;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (run by bench/segment-loop.sh, not part of the build): the edit stage's per-segment loop without Spark,
 * SegmentReader -> SegmentWriter over every segment of a video, in one JVM, ROUNDS times. MODE rgb is the path of RGB
 * editors (next() -> write(VideoFrame): YUV->RGB after decoding, RGB->YUV before encoding); decoded is identity's
 * pass-through (nextDecoded() -> write(DecodedFrame)). Prints per round the summed decode and encode seconds (wall,
 * like the job's report) and the threads' CPU seconds, over THREADS worker threads (segments in parallel).
 * Usage: java -cp CLASSPATH bench/SegmentLoop.java VIDEO CODEC MODE ROUNDS THREADS [SEGMENT_FRAMES]
 */
public class SegmentLoop {
  public static void main(String[] args) throws Exception {
    File src = new File(args[0]);
    OutputCodec codec = OutputCodec.parse(args[1]);
    boolean decoded = switch (args[2]) {
      case "decoded" -> true;
      case "rgb" -> false;
      default -> throw new IllegalArgumentException("MODE is rgb or decoded, not " + args[2]);
    };
    int rounds = Integer.parseInt(args[3]), threads = Integer.parseInt(args[4]);
    int segmentFrames = args.length > 5 ? Integer.parseInt(args[5]) : 250;
    VideoInfo info = VideoProbe.probe(src);
    List<Segment> plan = SegmentPlanner.plan(info, segmentFrames);
    File dir = Files.createTempDirectory("segment-loop").toFile();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 1; round <= rounds; round++) {
        long w0 = System.nanoTime();
        List<Future<long[]>> tasks = new ArrayList<>();
        for (Segment s : plan) {
          tasks.add(pool.submit(() -> {
            long cpu0 = mx.getCurrentThreadCpuTime(), decode = 0, encode = 0;
            int n = 0;
            File out = new File(dir, "segment-" + s.index() + ".mkv");
            try (SegmentReader reader = new SegmentReader(src, s.startPts(), s.start(), s.frames());
                SegmentWriter writer = new SegmentWriter(out, info.width(), info.height(), info.frameRate(),
                    EncoderSettings.defaults(codec))) {
              while (n < s.frames()) {
                long t0 = System.nanoTime();
                DecodedFrame d = decoded ? reader.nextDecoded() : null;
                VideoFrame f = decoded ? null : reader.next();
                long t1 = System.nanoTime();
                if (decoded) writer.write(d);
                else writer.write(f);
                decode += t1 - t0;
                encode += System.nanoTime() - t1;
                n++;
              }
            }
            out.delete();
            return new long[] {n, decode, encode, mx.getCurrentThreadCpuTime() - cpu0};
          }));
        }
        long frames = 0, decode = 0, encode = 0, cpu = 0;
        for (Future<long[]> t : tasks) {
          long[] r = t.get();
          frames += r[0];
          decode += r[1];
          encode += r[2];
          cpu += r[3];
        }
        double wall = (System.nanoTime() - w0) / 1e9, loop = (decode + encode) / 1e9;
        System.out.printf("round %d: %d frames, %s, %d thread(s): decode %.3f s + encode %.3f s = %.3f s = %.0f fps "
            + "per core; CPU %.3f s (segments opened and closed included) = %.0f fps per CPU second; wall %.3f s%n",
            round, frames, args[2], threads, decode / 1e9, encode / 1e9, loop, frames / loop, cpu / 1e9,
            frames / (cpu / 1e9), wall);
      }
    } finally {
      pool.shutdown();
      dir.delete();
    }
  }
}
