import Foundation

/// Reads configuration sources: a file, a directory's `*.cfg` files in lexical order, or `-`
/// for standard input. Failures become alerts naming the path.
enum ConfigFiles {
    /// The text of one source and the name used in messages.
    struct Source {
        var name: String
        var text: String
    }

    static func load(_ path: String, diagnostics: inout [ConfigDiagnostic]) -> [Source] {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return [Source(name: path, text: String(decoding: data, as: UTF8.self))]
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                diagnostics.append(cannotOpen(path, reason: "cannot list directory"))
                return []
            }
            let base = path.hasSuffix("/") ? path : path + "/"
            return names.filter { $0.hasSuffix(".cfg") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .compactMap { read(base + $0, diagnostics: &diagnostics) }
        }
        return read(path, diagnostics: &diagnostics).map { [$0] } ?? []
    }

    private static func read(_ path: String, diagnostics: inout [ConfigDiagnostic]) -> Source? {
        guard let file = fopen(path, "r") else {
            diagnostics.append(cannotOpen(path, reason: String(cString: strerror(errno))))
            return nil
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 {
                    diagnostics.append(cannotOpen(path, reason: String(cString: strerror(errno))))
                    return nil
                }
                break
            }
        }
        return Source(name: path, text: String(decoding: bytes, as: UTF8.self))
    }

    private static func cannotOpen(_ path: String, reason: String) -> ConfigDiagnostic {
        ConfigDiagnostic(.alert, nil, "Cannot open configuration file/directory \(path) : \(reason)")
    }
}
