package lab.epoll.common.cli;

import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the lab's version, and the Netty and JVM it runs on, which matter for every number. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String lab = VersionProvider.class.getPackage().getImplementationVersion();
        // netty-common is in every jar, whichever transports it carries.
        Version netty = Version.identify().get("netty-common");
        return new String[] {
            "${COMMAND-NAME} " + (lab == null ? "(development build)" : lab),
            "Netty " + (netty == null ? "(unknown)" : netty.artifactVersion()),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
