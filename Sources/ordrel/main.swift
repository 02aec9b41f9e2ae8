import ArgumentParser
import Logging
import OrdrelConfig
import OrdrelCore
import OrdrelEventLoop
import OrdrelSystem

/// `ordrel`, spelled like haproxy: `ordrel -f ordrel.cfg [-c] [-d|-db|-D] [-p pidfile] [-q] [-v|-vv]
/// [-x socket] [-sf|-st pid...] [-W|-Ws] [-S cli]` (`-sf`/`-st` are taken out of argv first: see
/// `OldProcesses`; `-W`/`-Ws` run a `Master`, whose workers run the rest of this).
struct OrdrelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordrel",
        abstract: "A TCP load balancer that reads haproxy configuration files.",
        discussion: """
            Flags use haproxy's single-dash spellings: -f, -c, -d, -db, -D, -p, -q, -v, -vv, -x, -W, -Ws, -S.
            -sf <pid>* / -st <pid>*: once serving, send SIGUSR1 (finish) / SIGTERM to these old \
            processes; the list ends at the next argument starting with '-' and may be empty.
            """
    )

    @Option(name: .customShort("f"), help: "Configuration file or directory (*.cfg, lexical order); repeatable.")
    var files: [String] = []

    @Flag(name: .customShort("c"), help: "Check the configuration and exit (0 valid, 1 invalid, 2 valid but nothing listens).")
    var checkOnly = false

    @Flag(name: .customShort("d"), help: "Debug mode: stay in the foreground and log debug messages.")
    var debug = false

    @Flag(name: .customLong("db", withSingleDash: true), help: "Stay in the foreground (disable background mode).")
    var foreground = false

    @Flag(name: .customShort("D"), help: "Run as a daemon.")
    var daemonize = false

    @Option(name: .customShort("p"), help: "Write the process id to this file.")
    var pidfile: String?

    @Flag(name: .customShort("W"), help: "Master-worker mode: a master supervises a worker; SIGUSR2 reloads.")
    var masterWorker = false

    @Flag(name: .customLong("Ws", withSingleDash: true), help: "Master-worker mode with systemd notify (Type=notify).")
    var masterWorkerSystemd = false

    @Option(name: .customShort("S"), help: "Master CLI socket: <path>[,mode,600,uid,N,gid,N,user,X,group,Y,level,L]; repeatable.")
    var masterCLI: [String] = []

    @Option(name: .customShort("x"), help: "Take the listening sockets of the old process from this stats socket (expose-fd listeners) or sockpair@<fd>; /dev/null disables.")
    var oldSocket: String?

    @Flag(name: .customShort("q"), help: "Quiet mode: print only errors.")
    var quiet = false

    @Flag(name: .customShort("v"), help: "Print the version and exit.")
    var version = false

    @Flag(name: .customLong("vv", withSingleDash: true), help: "Print the version and build options, then exit.")
    var buildOptions = false

    @Argument(help: "More configuration files (after --).")
    var extraFiles: [String] = []

    mutating func run() throws {
        if version || buildOptions {
            // haproxy's first line, which tools parse for the version; the rest names ordrel.
            print("HAProxy version \(reportedVersion) \(ordrelReleaseDate) - ordrel \(ordrelVersion), a TCP load balancer with orderly release")
            print("Status: ordrel \(ordrelVersion), speaking haproxy \(haproxyAPILevel)'s configuration (mode tcp) and runtime API.")
            if buildOptions {
                print("Running on: libev \(EventLoop.libevVersion)")
                print("Available polling systems : libev backend mask 0x\(String(EventLoop.supportedBackends, radix: 16))")
                print("Supported modes : tcp")
            }
            return
        }
        let paths = files + extraFiles
        guard !paths.isEmpty else {
            printError(ConfigDiagnostic(.alert, nil, "No configuration file given (use -f <file|dir>).").description)
            throw ExitCode(1)
        }
        let level: Logger.Level = debug ? .debug : (quiet ? .warning : .info)
        LoggingSystem.bootstrap { HaproxyStyleLogHandler(label: $0, level: level) }
        let logger = Logger(label: "ordrel")

        let result = Result { () throws(ConfigError) in try ConfigParser.parse(paths: paths) }
        guard case .success(let parsed) = result else {
            if case .failure(let error) = result {
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
            }
            fatalErrorsFound()
        }
        if !quiet { for warning in parsed.warnings { printError(warning.description) } }
        let configuration = parsed.configuration

        // Everything start-up checks short of binding, so `-c` accepts only what can start:
        // server addresses resolve, backends exist, the fd limit fits `maxconn`.
        let runtime: Runtime
        do {
            runtime = try Runtime(configuration: configuration, logger: logger, defaultThreads: Threads.availableCPUs)
            if checkOnly { try runtime.reserveFileDescriptors() }  // start() does it otherwise
        } catch let error as RuntimeSetupError {
            printError(ConfigDiagnostic(.alert, error.location, error.message).description)
            fatalErrorsFound()
        }
        guard configuration.hasEnabledListener else {
            if checkOnly {
                if !quiet { print("Configuration file has no error but will not start (no listener) => exit(2).") }
                throw ExitCode(2)
            }
            printError("[ALERT]    (\(CurrentProcess.id)) : No enabled listener found (check for 'bind' directives) ! Exiting.")
            throw ExitCode(1)
        }
        if checkOnly {
            if !quiet { print("Configuration file is valid") }
            return
        }

        Files.ignoreSIGPIPE()
        let masterLink = MasterWorker.workerLink(environment: CurrentProcess.environmentVariables)
        if masterLink == nil && (masterWorker || masterWorkerSystemd || configuration.global.masterWorker) {
            let options = MasterOptions(
                configPaths: paths, arguments: Array(CommandLine.arguments.dropFirst()), cliSpecs: masterCLI,
                systemd: masterWorkerSystemd, pidfile: pidfile ?? configuration.global.pidfile,
                daemonize: (daemonize || configuration.global.daemon) && !debug && !foreground, quiet: quiet)
            // The master binds nothing (its runtime was the check) and runs on the runtime's default loop.
            Master(options: options, configuration: configuration, logger: logger, loop: runtime.loop).run()
        }
        // Seamless reload: the old process's listening sockets, fetched before binding anything.
        var inherited: [InheritedSocket] = []
        if let argument = oldSocket, let source = OldProcessSocket(argument: argument) {
            let fetched = ListenerFetch.fetch(from: source)
            // ordrel's master passes `-x sockpair@<fd>` a socket made for this one transfer (its
            // own end already closed): keep it and every reloaded worker holds one dead fd for
            // life. Only a worker's link to its master (haproxy passes that one) stays open.
            if case .socketPair(let raw) = source, raw != masterLink { FD(rawValue: raw).close() }
            switch fetched {
            case .success(let sockets):
                inherited = sockets
            case .failure(let error):
                let pid = CurrentProcess.id
                if case .peerFailed(.connect, let reason) = error {
                    printError("[WARNING]  (\(pid)) : Failed to connect to the old process socket '\(source)' (\(reason))")
                } else {
                    printError("[WARNING]  (\(pid)) : \(error)")
                }
                printError("[ALERT]    (\(pid)) : Failed to get the sockets from the old process!")
                throw ExitCode(1)
            }
        }
        runtime.exportHaproxyEnvironment(configFiles: paths)
        do {
            try runtime.start(inheriting: inherited, oldProcesses: Self.oldProcesses)
        } catch {
            printError("[ALERT]    (\(CurrentProcess.id)) : Starting proxies: \(error)")
            throw ExitCode(1)
        }
        if let masterLink {
            do {
                try runtime.attachMaster(ipc: FD(rawValue: masterLink))
            } catch {
                printError("[ALERT]    (\(CurrentProcess.id)) : Cannot reach the master: \(error)")
                throw ExitCode(1)
            }
        }
        // A worker stays in the foreground and writes no pidfile: its master did both.
        let background = masterLink == nil && (daemonize || configuration.global.daemon) && !debug && !foreground
        if background {
            do {
                try CurrentProcess.detach()
            } catch {
                printError("[ALERT]    (\(CurrentProcess.id)) : Cannot run in the background: \(error)")
                throw ExitCode(1)
            }
            runtime.afterFork()
        }
        // The pidfile is written while still privileged (it usually lives in a root-owned
        // directory); then chroot, group and user are given up, as haproxy does.
        let ownPidfile = masterLink == nil ? pidfile ?? configuration.global.pidfile : nil
        if let path = ownPidfile {
            try Files.write("\(CurrentProcess.id)\n", to: path)
        }
        // Everything is bound and the pidfile written: the old processes may go (before the
        // privileges are given up, as they may run as another user).
        for failure in Self.oldProcesses.signalAll() {
            logger.warning("Cannot signal old process \(failure.pid): \(failure.reason).")
        }
        let global = configuration.global
        if global.user != nil || global.uid != nil || global.group != nil || global.gid != nil || global.chroot != nil {
            do {
                try Privileges.drop(user: global.user, uid: global.uid, group: global.group, gid: global.gid,
                                    chroot: global.chroot)
            } catch {
                printError("[ALERT]    (\(CurrentProcess.id)) : Cannot drop privileges: \(error)")
                throw ExitCode(1)
            }
        }
        logger.notice("ordrel \(ordrelVersion) started: \(runtime.proxies.count) proxies, maxconn \(runtime.maxconn), \(runtime.threadCount) thread\(runtime.threadCount == 1 ? "" : "s").")
        runtime.run(forked: background)
        // Releasing the runtime stops its signal watchers, and libev gives each signal its
        // default action back; a master passes SIGTERM and SIGUSR1 on to former workers on
        // their way out. Blocked first (the loops' threads have ended, this one is the last to
        // take signals), they stay pending and the process exits with its own status.
        Threads.blockAllSignals()
        withExtendedLifetime(runtime) {}
        // After a reload the pidfile names the new process: only our own is removed.
        if let path = ownPidfile, Files.firstLine(of: path) == "\(CurrentProcess.id)" {
            try? Files.unlinkIfPresent(path)
        }
    }

    /// haproxy's closing line after configuration alerts, then exit 1.
    private func fatalErrorsFound() -> Never {
        if !quiet { printError("[ALERT]    (\(CurrentProcess.id)) : config : Fatal errors found in configuration.") }
        OrdrelCommand.exit(withError: ExitCode(1))
    }
}

/// Writes a line to stderr.
func printError(_ line: String) {
    CurrentProcess.writeToStandardError(line + "\n")
}

extension OrdrelCommand {
    /// `-sf`/`-st` and their pids (taken out of argv before the argument parser, which cannot
    /// express an optional list ended by the next option; checked there already).
    static var oldProcesses: OldProcesses {
        (try? OldProcesses.extract(from: Array(CommandLine.arguments.dropFirst())).0) ?? OldProcesses()
    }
}

do {
    OrdrelCommand.main(try OldProcesses.extract(from: Array(CommandLine.arguments.dropFirst())).rest)
} catch {
    printError("[ALERT]    (\(CurrentProcess.id)) : \(error)")
    OrdrelCommand.exit(withError: ExitCode(1))
}
