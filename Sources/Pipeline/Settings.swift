import Foundation
import Ingest
import TOMLKit
import Trace
import SystemPackage

/// The settings of one installation, from `rivertrace.toml`; command-line flags override them.
///
/// ```toml
/// store = "var/rivertrace.sqlite"   # relative paths are relative to this file
/// network = "data/network"
/// timezone = "Asia/Shanghai"        # zone of times without an offset
///
/// [ingest]
/// sentinels = [-999, -9999, -99999] # instrument values that mean "no measurement"
/// # year = 2026                     # year for `MM-DD hh:mm` times when the file name has none
///
/// [run]                              # `rivertrace run`, the unattended job (see ``RunSettings``)
/// inbox = "inbox"
/// on_alert = "/srv/rivertrace/bin/send-alert.sh"
/// ```
public struct Settings: Sendable, Equatable {
    /// Path of the SQLite store.
    public var storePath: String
    /// Folder with rivers.csv, points.csv, sources.csv.
    public var networkDirectory: String
    /// The zone of local times (an IANA name in the settings file, checked when it is read).
    public var timeZone: TimeZone
    /// Instrument sentinel values.
    public var sentinels: [Double]
    /// Year for times that carry none.
    public var year: Int?
    /// The file the settings came from, if any.
    public var sourceFile: String?
    /// The longest one read of an input file may block before the run gives up (0: no limit).
    public var readTimeoutSeconds: Double = 300
    /// Below this share of the expected readings, `analyze` and `report` of a period exit 3 (partial data).
    public var minimumCoverage: Double = 0.8
    /// Below this confidence a traced event is reported `uncertain`, not sent to a field team (`uncertain_below`).
    public var uncertainBelow = TraceEngine.defaultUncertainBelow
    /// The unattended job's folders and thresholds (`[run]`).
    public var run = RunSettings()

    /// The built-in defaults (used when there is no settings file).
    public static let defaults = Settings(storePath: "rivertrace.sqlite", networkDirectory: "data/network",
                                          timeZone: .chinaStandard, sentinels: [-999, -9999, -99999],
                                          year: nil, sourceFile: nil)

    /// Loads `explicitPath`, else `./rivertrace.toml` when present, else the defaults.
    /// - Throws: ``SettingsError`` naming the file, line and key for anything it cannot use.
    public static func load(explicitPath: String?) throws -> Settings {
        let path = explicitPath ?? "rivertrace.toml"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            if explicitPath != nil { throw SettingsError(file: path, message: "settings file not found") }
            return defaults
        }
        if isFolder.boolValue {
            throw SettingsError(file: path, message: "is a folder: expected a settings file such as rivertrace.toml")
        }
        let table = try readTOML(path)
        // A misspelt key would otherwise be ignored without a word, and its setting silently not applied.
        try rejectUnknownKeys(table, known: ["store", "network", "timezone", "minimum_coverage", "uncertain_below", "ingest", "run"], in: path, section: nil)
        if let ingest = table["ingest"]?.table {
            try rejectUnknownKeys(ingest, known: ["sentinels", "year", "read_timeout_seconds"], in: path, section: "ingest")
        }
        var settings = defaults
        settings.sourceFile = path
        let base = FilePath(path).removingLastComponent()
        settings.run = RunSettings(base: base.isEmpty ? "." : base.string)
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") || base.isEmpty ? value : base.pushing(FilePath(value)).string
        }
        func string(_ key: String, in table: TOMLTable) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw SettingsError(file: path, message: "\(key): expected a string") }
            return text
        }
        if let store = try string("store", in: table) { settings.storePath = resolve(store) }
        if let network = try string("network", in: table) { settings.networkDirectory = resolve(network) }
        if let zone = try string("timezone", in: table) {
            guard let timeZone = TimeZone(identifier: zone) else {
                throw SettingsError(file: path, message: "timezone \"\(zone)\": expected an IANA name such as Asia/Shanghai")
            }
            settings.timeZone = timeZone
        }
        if let ingest = table["ingest"] {
            guard let ingest = ingest.table else { throw SettingsError(file: path, message: "[ingest]: expected a table") }
            if let sentinels = ingest["sentinels"] {
                guard let array = sentinels.array else {
                    throw SettingsError(file: path, message: "ingest.sentinels: expected an array of numbers")
                }
                settings.sentinels = try array.map { value in
                    if let double = value.double { return double }
                    if let int = value.int { return Double(int) }
                    throw SettingsError(file: path, message: "ingest.sentinels: expected numbers")
                }
            }
            if let timeout = ingest["read_timeout_seconds"] {
                guard let value = timeout.double ?? timeout.int.map(Double.init), value >= 0 else {
                    throw SettingsError(file: path, message: "ingest.read_timeout_seconds: expected seconds ≥ 0")
                }
                settings.readTimeoutSeconds = value
            }
            if let year = ingest["year"] {
                guard let value = year.int, (1900...2200).contains(value) else {
                    throw SettingsError(file: path, message: "ingest.year: expected a year such as 2026")
                }
                settings.year = value
            }
        }
        if let value = table["minimum_coverage"] {
            guard let share = value.double ?? value.int.map(Double.init), (0...1).contains(share) else {
                throw SettingsError(file: path, message: "minimum_coverage: expected a share from 0 to 1, e.g. 0.8")
            }
            settings.minimumCoverage = share
        }
        if let value = table["uncertain_below"] {
            guard let share = value.double ?? value.int.map(Double.init), (0...1).contains(share) else {
                throw SettingsError(file: path, message: "uncertain_below: expected a confidence from 0 to 1, e.g. 0.5")
            }
            settings.uncertainBelow = share
        }
        if let run = table["run"] {
            guard let run = run.table else { throw SettingsError(file: path, message: "[run]: expected a table") }
            try settings.run.read(run, file: path, resolve: resolve)
        }
        return settings
    }

    /// The ingest options these settings make.
    public var ingestOptions: IngestOptions {
        IngestOptions(timeZone: timeZone,
                      year: year, sentinels: Set(sentinels))
    }
}

/// Throws for the first key of `table` that is not in `known`, naming it, the nearest known key when one is close
/// (a misspelling), and the keys that are known.
func rejectUnknownKeys(_ table: TOMLTable, known: Set<String>, in path: String, section: String?) throws {
    func qualified(_ key: String) -> String { section.map { "\($0).\(key)" } ?? key }
    for key in table.keys.sorted() where !known.contains(key) {
        let nearest = known.map { ($0, editDistance($0, key)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        let suggestion = nearest.flatMap { $0.1 <= max(2, key.count / 3) ? " (did you mean \"\(qualified($0.0))\"?)" : nil } ?? ""
        throw SettingsError(file: path, message: "unknown key \"\(qualified(key))\"\(suggestion): expected one of "
                            + known.sorted().map(qualified).joined(separator: ", "))
    }
}

/// Levenshtein distance between two keys (insertions, deletions, substitutions of characters).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}

/// A settings file that cannot be used.
public struct SettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
}

/// Reads a TOML file, turning every failure into a ``SettingsError`` with the file, line and column.
func readTOML(_ path: String) throws -> TOMLTable {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw SettingsError(file: path, message: "cannot read as UTF-8 text")
    }
    do {
        return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
        throw SettingsError(file: path, message: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
    }
}
