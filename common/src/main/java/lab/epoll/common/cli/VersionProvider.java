package lab.epoll.common.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the lab's version, and the Netty and JVM it runs on, which matter for every number. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String lab = VersionProvider.class.getPackage().getImplementationVersion();
        Version netty = Version.identify().get("netty-transport-native-epoll");
        return new String[] {
            "${COMMAND-NAME} " + (lab == null ? "(development build)" : lab),
            "Netty " + (netty == null ? "(unknown)" : netty.artifactVersion())
                    + ", epoll " + (Epoll.isAvailable() ? "available" : "unavailable"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
