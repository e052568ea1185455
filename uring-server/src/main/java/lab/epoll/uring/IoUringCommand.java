package lab.epoll.uring;

import java.util.List;
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
@Command(name = "uring-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Echo server (RFC 862) on Netty 4.1's io_uring transport (netty-incubator-transport-io_uring).",
                "--busy-poll and --max-events are epoll-only: not listed here, and refused; --max-messages-per-read is fixed at 1 "
                        + "(a longer read loop stalls the incubator on a read that fills its buffer), and so is --accept-batch (one "
                        + "accept request in flight at a time)."},
        footer = {"", "Exit codes: 0 after a signal-driven shutdown, 1 when the server cannot run, 2 for a bad "
                + "command line."})
public final class IoUringCommand extends EchoServerCommand {
    @Override
    protected List<String> optionsNotHonoured() {
        return ServerVariant.IoModel.NETTY_IO_URING.refusedOptions();
    }

    @Override
    protected void validate() {
        options.refuse(optionsNotHonoured(), "it is epoll-only, and uring-server runs on io_uring");
        if (spec.commandLine().getParseResult().hasMatchedOption("--max-messages-per-read")
                && options.maxMessagesPerRead() != 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--max-messages-per-read': "
                    + "uring-server reads once per completion, so only 1 is possible");
        }
        if (options.acceptBatch(1) != 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--accept-batch': "
                    + "the incubator has one accept request in flight at a time, so only 1 is possible");
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
