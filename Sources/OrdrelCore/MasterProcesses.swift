import OrdrelEventLoop
import OrdrelSystem

/// Where a worker is in its life, as the master sees it.
public enum WorkerPhase: Equatable, Sendable {
    /// Spawned; has not said READY yet.
    case starting
    /// Ready and the one taking new connections (`# workers`).
    case current
    /// Replaced by a newer worker (or told to stop): drains, then exits (`# old workers`).
    case leaving
}

/// One worker the master started.
final class WorkerProcess {
    let pid: Int32
    /// The master's end of this worker's socketpair: connections go there as fds, READY comes back.
    let link: FD
    var phase: WorkerPhase = .starting
    /// Reloads this worker has lived through (`show proc` <reloads>, `mworker-max-reloads`).
    var reloads = 0
    /// Wall-clock second it started, for its uptime.
    let startWallSeconds: UInt64
    /// Bytes read from the link that do not end with a newline yet.
    var pendingInput: [UInt8] = []
    /// Watches the link for READY and EOF; nil once the link reached EOF.
    var watcher: IOWatcher?

    init(pid: Int32, link: FD, startWallSeconds: UInt64) {
        self.pid = pid
        self.link = link
        self.startWallSeconds = startWallSeconds
    }
}

/// `show proc`, in haproxy 2.6's format (mworker.c `cli_io_handler_show_proc`).
enum ShowProc {
    struct Row {
        let pid: Int32
        let reloads: Int
        let startWallSeconds: UInt64
    }

    static func render(master: Row, failedReloads: Int, workers: [Row], oldWorkers: [Row],
                       nowWallSeconds: UInt64, version: String) -> String {
        var text = "#" + pad("<PID>", 14) + " " + pad("<type>", 15) + " " + pad("<reloads>", 15) + " "
            + pad("<uptime>", 15) + " " + pad("<version>", 15) + "\n"
        func row(_ r: Row, _ type: String, _ reloads: String) -> String {
            pad("\(r.pid)", 15) + " " + pad(type, 15) + " " + pad(reloads, 15) + " "
                + pad(uptime(nowWallSeconds > r.startWallSeconds ? nowWallSeconds - r.startWallSeconds : 0), 15)
                + " " + pad(version, 15) + "\n"
        }
        text += row(master, "master", "\(master.reloads) [failed: \(failedReloads)]")
        text += "# workers\n"
        for w in workers { text += row(w, "worker", "\(w.reloads)") }
        if !oldWorkers.isEmpty {
            text += "# old workers\n"
            for w in oldWorkers { text += row(w, "worker", "\(w.reloads)") }
        }
        text += "# programs\n"
        return text
    }

    /// `%-Ns`: left-aligned, padded with spaces to `width`, never cut.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `%dd%02dh%02dm%02ds`.
    static func uptime(_ seconds: UInt64) -> String {
        let days = seconds / 86400
        let hours = seconds / 3600 % 24
        let minutes = seconds / 60 % 60
        let secs = seconds % 60
        func two(_ n: UInt64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days)d\(two(hours))h\(two(minutes))m\(two(secs))s"
    }
}
