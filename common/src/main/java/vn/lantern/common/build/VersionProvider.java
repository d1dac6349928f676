package vn.lantern.common.build;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every Lantern command line: the version and commit of the build. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {BuildInfo.current().describe()};
  }
}
