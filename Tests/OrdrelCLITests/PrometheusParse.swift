import Foundation

/// Runs prometheus_client's parser (Tests/IntegrationTests/Clients/prometheus_parse.py) on an
/// exposition: the script checks one-hot states and histogram buckets itself and fails on any
/// violation; what it returns is every sample for the test's own assertions.
enum PrometheusParse {
    struct Sample: Decodable {
        let family: String
        let type: String
        let name: String
        let labels: [String: String]
        /// Python's `repr` of the value ("1", "0.25", "nan").
        let value: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../IntegrationTests/Clients/prometheus_parse.py").standardized.path

    static func samples(of exposition: [UInt8], python: String) throws -> [Sample] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ordrel-prom-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).txt")
        try Data(exposition).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, input.path]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ParseFailure(reason: errors) }
        return try JSONDecoder().decode([Sample].self, from: output)
    }

    struct ParseFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "prometheus_client rejected the exposition: \(reason)" }
    }

    /// Whether `python` can import prometheus_client.
    static func available(_ python: String) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import prometheus_client"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
