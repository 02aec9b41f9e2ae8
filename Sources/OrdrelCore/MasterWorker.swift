/// What the master and its workers agree on: the environment a worker starts with, its
/// arguments, and the message a ready worker sends.
public enum MasterWorker {
    /// Set to 1 in a worker's environment (haproxy's name, which scripts test).
    public static let workerVariable = "HAPROXY_MWORKER"
    /// The worker's end of its master↔worker socketpair, an inherited fd number.
    public static let linkVariable = "ORDREL_MWORKER_FD"
    /// What a worker sends on its link once it serves (after `Runtime.start()` succeeded).
    public static let readyMessage = "READY\n"

    /// The fd of the master link when this process is a worker started by a master, else nil.
    public static func workerLink(environment: [String: String]) -> Int32? {
        guard environment[workerVariable] == "1", let text = environment[linkVariable],
              let fd = Int32(text), fd > 2 else { return nil }
        return fd
    }

    /// A worker's arguments: the master's own (argv[0] excluded) without what only the master
    /// does (`-W`, `-Ws`, `-S <cli>`, `-D`, `-p <file>`, and any `-x <socket>`, `-sf`/`-st
    /// <pid>...` it was started with), followed by `-x sockpair@<fd>` on a reload.
    public static func workerArguments(from arguments: [String], inheriting socketsFrom: Int32?) -> [String] {
        var kept: [String] = []
        var index = 0
        var afterSeparator = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if afterSeparator || argument == "--" {
                afterSeparator = true
                kept.append(argument)
                continue
            }
            switch argument {
            case "-W", "-Ws", "-D":
                continue
            case "-S", "-p", "-x":
                index += 1
            case "-sf", "-st":
                while index < arguments.count && !arguments[index].hasPrefix("-") { index += 1 }
            default:
                kept.append(argument)
            }
        }
        if let fd = socketsFrom {
            // Before any `--`, where options still parse.
            let position = kept.firstIndex(of: "--") ?? kept.endIndex
            kept.insert(contentsOf: ["-x", "sockpair@\(fd)"], at: position)
        }
        return kept
    }
}
