import OrdrelSystem

/// Reads configuration sources into a `ConfigBuilder` line by line: a file, a directory's `*.cfg`
/// files in lexical order, or `-` for standard input. Reading is bounded (`maxLineLength`,
/// `maxFileLength`) so no input can exhaust memory; failures become alerts naming the path.
enum ConfigFiles {
    /// Longest line read; a longer one stops reading its file (haproxy has no bound).
    static let maxLineLength = 1 << 20
    /// Most bytes read from one file; more stop reading it (`-f /dev/urandom`, an endless pipe).
    static let maxFileLength = 64 << 20

    /// Feeds `path` to `builder`; returns how many files were read (0 for an empty directory).
    static func load(_ path: String, into builder: ConfigBuilder) -> Int {
        guard path != "-", Files.isDirectory(path) else {
            return read(path, into: builder) ? 1 : 0
        }
        let names: [String]
        do {
            names = try Files.directoryEntries(path)
        } catch {
            builder.diagnostics.append(cannotOpen(path, reason: error.reason))
            return 0
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        return names.filter { $0.hasSuffix(".cfg") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .filter { read(base + $0, into: builder) }
            .count
    }

    /// Parses one file (or standard input for `-`); false when it cannot be opened.
    private static func read(_ path: String, into builder: ConfigBuilder) -> Bool {
        let reader: LineReader
        do {
            reader = path == "-"
                ? LineReader(standardInputWithMaxLineLength: maxLineLength, maxTotalLength: maxFileLength)
                : try LineReader(path: path, maxLineLength: maxLineLength, maxTotalLength: maxFileLength)
        } catch {
            builder.diagnostics.append(cannotOpen(path, reason: error.reason))
            return false
        }
        var lineNumber = 0
        while let step = reader.next() {
            lineNumber += 1
            let location = SourceLocation(file: path, line: lineNumber)
            switch step {
            case .line(let bytes):
                builder.parseLine(text(bytes), at: location)
            case .unterminated(let bytes):
                // haproxy refuses it too: the file may have been cut short.
                builder.parseLine(text(bytes), at: location)
                builder.alert("Missing LF on last line, file might have been truncated at position \(bytes.count + 1).")
            case .nul(let position):
                builder.location = location
                builder.alert("Stray NUL character at position \(position).")
            case .lineTooLong:
                builder.location = location
                builder.alert("line too long (limit \(maxLineLength) bytes), file not read further.")
            case .fileTooLong:
                builder.location = location
                builder.alert("file larger than \(maxFileLength) bytes, not read further.")
            case .failed(let error):
                builder.location = location
                builder.alert("cannot read the file: \(error.reason)")
            }
        }
        builder.endFile()
        return true
    }

    /// A line's text without a CR before its LF (CRLF files).
    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes[...], as: UTF8.self)
    }

    private static func cannotOpen(_ path: String, reason: String) -> ConfigDiagnostic {
        ConfigDiagnostic(.alert, nil, "Cannot open configuration file/directory \(path) : \(reason)")
    }
}
