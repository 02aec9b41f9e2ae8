import ArgumentParser
import Logging
import OrdrelConfig
import OrdrelCore
import OrdrelEventLoop
import OrdrelSystem

/// `ordrel`, spelled like haproxy: `ordrel -f ordrel.cfg [-c] [-d|-db|-D] [-p pidfile] [-q] [-v|-vv]`.
struct OrdrelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordrel",
        abstract: "A TCP load balancer that reads haproxy configuration files.",
        discussion: "Flags use haproxy's single-dash spellings: -f, -c, -d, -db, -D, -p, -q, -v, -vv."
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
        runtime.exportHaproxyEnvironment(configFiles: paths)
        do {
            try runtime.start()
        } catch {
            printError("[ALERT]    (\(CurrentProcess.id)) : Starting proxies: \(error)")
            throw ExitCode(1)
        }
        let background = (daemonize || configuration.global.daemon) && !debug && !foreground
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
        if let path = pidfile ?? configuration.global.pidfile {
            try Files.write("\(CurrentProcess.id)\n", to: path)
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
        if let path = pidfile ?? configuration.global.pidfile { try? Files.unlinkIfPresent(path) }
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

OrdrelCommand.main()
