#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// ordrel and haproxy 2.6 on the same configuration (`@SOCKET@` and `@PORT@` filled per daemon),
/// for comparing what their stats sockets say.
final class CheckDaemonPair {
    private let directory = TemporaryDirectory()
    private let haproxy = Process()
    private let ordrel: OrdrelProcess
    private let sockets: [Side: String]
    let frontendPorts: [Side: UInt16]

    init(config template: String) throws {
        let sockets: [Side: String] = [.haproxy: directory.path + "/haproxy.sock", .ordrel: directory.path + "/ordrel.sock"]
        let ports: [Side: UInt16] = [.haproxy: try TestSocket.unusedPort(), .ordrel: try TestSocket.unusedPort()]
        self.sockets = sockets
        frontendPorts = ports
        func config(_ side: Side) -> String {
            template.replacingOccurrences(of: "@SOCKET@", with: sockets[side]!)
                .replacingOccurrences(of: "@PORT@", with: String(ports[side]!))
        }
        haproxy.executableURL = URL(fileURLWithPath: haproxyPath)
        haproxy.arguments = ["-db", "-q", "-f", directory.write("haproxy.cfg", config(.haproxy))]
        haproxy.standardOutput = FileHandle.nullDevice
        haproxy.standardError = FileHandle.nullDevice
        try haproxy.run()
        ordrel = try OrdrelProcess(config: config(.ordrel), readySocket: sockets[.ordrel])
        _ = waitUntil(10) {
            guard let fd = try? TestSocket.connect(unixPath: sockets[.haproxy]!) else { return false }
            close(fd)
            return true
        }
    }

    var ordrelLog: String { ordrel.stderrText }

    func query(_ side: Side, _ command: String) throws -> String {
        try runCommand("/usr/bin/socat", ["-t", "5", "stdio", "UNIX-CONNECT:\(sockets[side]!)"], input: command + "\n").stdout
    }

    /// Server rows of `show stat`, keyed by "backend/server".
    func servers(_ side: Side) throws -> [String: [String: String]] {
        let lines = try query(side, "show stat").split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [:] }
        let names = Self.cells(header.dropFirst(2))
        var rows: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let row = Dictionary(zip(names, Self.cells(line)), uniquingKeysWith: { first, _ in first })
            guard let server = row["svname"], server != "FRONTEND", server != "BACKEND" else { continue }
            rows["\(row["pxname"] ?? "")/\(server)"] = row
        }
        return rows
    }

    /// CSV cells as haproxy's `csv_enc` writes them: a cell holding a comma or quote is quoted,
    /// quotes doubled.
    static func cells(_ line: Substring) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var previous: Character?
        for char in line {
            if char == "\"" {
                if !quoted && previous == "\"" { cell.append(char) }
                quoted.toggle()
            } else if char == "," && !quoted {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(char)
            }
            previous = char
        }
        cells.append(cell)
        return cells
    }

    func stop() {
        ordrel.stop()
        if haproxy.isRunning { haproxy.terminate() }
        haproxy.waitUntilExit()
    }
}
