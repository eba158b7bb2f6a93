package dev.litefs.core.cli;

public final class LiteFsCommand {
  public static void main(String[] args) {}
}
