package lab.epoll.uring;

import java.util.Map;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code uring-server} command: the lab's echo server, unchanged but for the transport, on Netty 4.1 with the
 * incubator's io_uring transport. It answers "what would switching to io_uring change?" without also changing
 * the Netty version (netty42-server does that).
 */
@Command(
        name = "uring-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Echo server (RFC 862) on Netty 4.1's io_uring transport (netty-incubator-transport-io_uring).",
            Name.MAX_MESSAGES_PER_READ + " is fixed at 1 (a longer read loop stalls the incubator on a read that "
                    + "fills its buffer), and so is " + Name.ACCEPT_BATCH + " (one accept request in flight at a "
                    + "time)."
        })
public final class IoUringCommand extends EchoServerCommand {
    @Override
    protected Map<Group, String> refusedGroups() {
        return ServerVariant.IoModel.NETTY_IO_URING.refusals();
    }

    @Override
    protected void validate() {
        if (spec.commandLine().getParseResult().hasMatchedOption(Name.MAX_MESSAGES_PER_READ)
                && options.maxMessagesPerRead() != 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.MAX_MESSAGES_PER_READ
                            + "': uring-server reads once per completion, so only 1 is possible");
        }
        if (options.acceptBatch(1) != 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.ACCEPT_BATCH
                            + "': the incubator has one accept request in flight at a time, so only 1 is possible");
        }
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return new EchoServer(options, new IoUringTransport());
    }

    public static void main(String[] args) {
        ServerCli.main(new IoUringCommand(), args);
    }
}
