package dev.viaspark.via;

import java.io.Serializable;
import java.util.Map;

/**
 * Where executors find a video's bank: its folder URI in the work dir, its size, and, for small
 * banks, the files themselves (name to bytes), which then travel inside the driver's broadcast.
 */
public record BankHandle(String uri, long bytes, Map<String, byte[]> inline)
    implements Serializable {
  public boolean isInline() {
    return inline != null;
  }
}
