package io.upm.engine.core;
import java.util.*;
public class Dbg {
  public static void main(String[] a) throws Exception {
    List<String> lines = CommandStreams.stream(2, 120, 3000);
    java.nio.file.Files.write(java.nio.file.Path.of("/tmp/dbg/s2.jsonl"), lines);
  }
}
