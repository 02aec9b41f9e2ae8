import OrdrelSystem

/// haproxy's `-sf <pid>*` / `-st <pid>*`: the old processes to signal once this one is serving.
/// The pid list ends at the next argument starting with `-` and may be empty, which an argument
/// parser cannot express, so they are taken out of argv before it.
public struct OldProcesses: Sendable, Equatable {
    /// How the old processes are told to go.
    public enum Finish: Sendable, Equatable {
        /// `-sf`: SIGUSR1, soft stop (finish open streams).
        case soft
        /// `-st`: SIGTERM, stop now.
        case hard

        public var signal: Signal { self == .soft ? .user1 : .terminate }
    }

    public var pids: [Int32] = []
    public var finish: Finish = .soft

    public init(pids: [Int32] = [], finish: Finish = .soft) {
        self.pids = pids
        self.finish = finish
    }

    /// A pid that is not a positive number (haproxy prints its usage and exits 1).
    public struct InvalidPID: Error, CustomStringConvertible {
        public let argument: String
        public var description: String { "invalid pid '\(argument)' after -sf/-st" }
    }

    /// Splits `-sf`/`-st` and their pids off `arguments` (argv without the program name); the
    /// rest is returned in order for the argument parser. Arguments after `--` are left alone.
    /// The last of `-sf`/`-st` decides the signal, as haproxy.
    public static func extract(from arguments: [String]) throws -> (OldProcesses, rest: [String]) {
        var old = OldProcesses()
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                rest += arguments[(index - 1)...]
                break
            }
            guard argument == "-sf" || argument == "-st" else {
                rest.append(argument)
                continue
            }
            old.finish = argument == "-sf" ? .soft : .hard
            while index < arguments.count, !arguments[index].hasPrefix("-") {
                guard let pid = Int32(arguments[index]), pid > 0 else { throw InvalidPID(argument: arguments[index]) }
                old.pids.append(pid)
                index += 1
            }
        }
        return (old, rest)
    }

    /// Signals every old pid; returns the ones that could not be signalled, with errno's words.
    public func signalAll() -> [(pid: Int32, reason: String)] {
        pids.compactMap { pid in
            CurrentProcess.send(finish.signal, to: pid).map { (pid, SyscallError.reason($0)) }
        }
    }
}
