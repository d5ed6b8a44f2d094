package dev.viaspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.cli.UsageException;
import org.junit.jupiter.api.Test;

/**
 * A URI whose file system is not on the classpath is one line that names the scheme and the fix.
 */
class MissingFileSystemTest {
  @Test
  void anUnknownSchemeNamesItselfAndWhereConnectorsGo() {
    UsageException e =
        assertThrows(UsageException.class, () -> Storage.local().exists("gs://bucket/clip.mp4"));
    assertEquals(
        "gs://bucket/clip.mp4: no file system for scheme 'gs' on the classpath (add its connector's"
            + " jars: VIASPARK_CLASSPATH for job/viaspark, --jars or --packages for spark-submit)",
        e.getMessage());
  }

  @Test
  void s3aWithoutHadoopAwsSaysWhatToAdd() {
    // the engine module's test classpath has no hadoop-aws, as a bare spark-submit would not
    UsageException e =
        assertThrows(UsageException.class, () -> Storage.local().exists("s3a://bucket/clip.mp4"));
    assertTrue(e.getMessage().startsWith("s3a://bucket/clip.mp4: no file system for scheme 's3a'"));
    assertTrue(e.getMessage().contains("--packages org.apache.hadoop:hadoop-aws"), e.getMessage());
  }
}
