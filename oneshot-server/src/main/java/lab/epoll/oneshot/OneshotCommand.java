package lab.epoll.oneshot;

import io.netty.channel.epoll.EpollMode;
import io.netty.util.NettyRuntime;
import java.util.Map;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import lab.epoll.oneshot.kernel.KernelOneshotServer;
import lab.epoll.oneshot.netty.WorkerPoolTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code oneshot-server} command: the multi-threaded {@code EPOLLONESHOT} echo server, with two engines:
 * <ul>
 *   <li>{@code netty}: Netty's epoll event loops with {@code AUTO_READ} off; each read goes to a worker pool,
 *       which echoes and re-arms the connection with {@code read()} ({@link WorkerPoolTransport});</li>
 *   <li>{@code kernel}: N threads in {@code epoll_wait} on one shared epoll instance, every client registered
 *       with {@code EPOLLONESHOT} and re-armed with {@code EPOLL_CTL_MOD} ({@link KernelOneshotServer}).</li>
 * </ul>
 * Both share the other variants' options, counters, idle timeout and graceful shutdown.
 */
@Command(
        name = "oneshot-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Echo server (RFC 862) where any of several threads may handle a connection, but only one "
                + "at a time: EPOLLONESHOT, emulated on Netty (" + Name.ENGINE + " netty) or the kernel's own on one "
                + "shared epoll instance (" + Name.ENGINE + " kernel).")
public final class OneshotCommand extends EchoServerCommand {
    /** Which implementation serves the connections. */
    public enum Engine {
        netty,
        kernel
    }

    @Option(
            names = Name.ENGINE,
            paramLabel = "netty|kernel",
            defaultValue = "netty",
            description = "netty: Netty's event loops (one epoll instance and thread each) with AUTO_READ off, "
                    + "each read handed to a worker pool that re-arms the connection with read(). "
                    + "kernel: " + Name.WORKERS
                    + " threads in epoll_wait on ONE shared epoll instance, every client fd "
                    + "registered with EPOLLIN|EPOLLRDHUP|EPOLLONESHOT and re-armed with EPOLL_CTL_MOD "
                    + "(default: ${DEFAULT-VALUE}).")
    private Engine engine;

    @Option(
            names = Name.WORKERS,
            paramLabel = "N",
            defaultValue = "${sys:lab.defaultIoThreads}",
            description = "netty: threads of the worker pool that does the echo. kernel: threads waiting in "
                    + "epoll_wait, which also do the I/O; the kernel engine has no event loops, so " + Name.IO_THREADS
                    + " is refused with it, whenever given (default: the number of cores, ${DEFAULT-VALUE} here).")
    private int workers;

    @Option(
            names = Name.EPOLL_MODE,
            paramLabel = "EDGE_TRIGGERED|LEVEL_TRIGGERED",
            description = "netty engine only: how its sockets are registered (default: Netty 4.1's, "
                    + "${DEFAULT-VALUE}). With AUTO_READ off both pay two epoll_ctl per read. The kernel engine is "
                    + "level-triggered with EPOLLONESHOT.")
    private EpollMode epollMode = EpollMode.EDGE_TRIGGERED;

    static {
        // The same default ServerOptions gives --io-threads; set here too in case this class loads first.
        System.setProperty("lab.defaultIoThreads", Integer.toString(NettyRuntime.availableProcessors()));
    }

    /** What the kernel engine lacks of Netty's, and why. */
    private static final Map<Group, String> NOT_IN_THE_KERNEL_ENGINE =
            Map.of(Group.EVENT_LOOPS, "the kernel engine has no event loops; its threads are " + Name.WORKERS);

    @Override
    protected void validate() {
        ServerOptions.requireRange(spec.commandLine(), Name.WORKERS, workers, 1, 4096);
        if (engine == Engine.kernel && spec.commandLine().getParseResult().hasMatchedOption(Name.EPOLL_MODE)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.EPOLL_MODE
                            + "': the kernel engine registers every socket level-triggered with EPOLLONESHOT; "
                            + Name.EPOLL_MODE + " is for " + Name.ENGINE + " netty");
        }
        if (engine == Engine.kernel) {
            refuseIfGiven(NOT_IN_THE_KERNEL_ENGINE);
        }
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return engine == Engine.kernel
                ? new KernelOneshotServer(options, workers)
                : new EchoServer(options, new WorkerPoolTransport(workers, epollMode));
    }

    public static void main(String[] args) {
        ServerCli.main(new OneshotCommand(), args);
    }
}
