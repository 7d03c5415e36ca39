import Foundation
import Testing

/// docs/architecture.md's import rules hold: every `import` in `Sources/<target>/` is allowed by the target's row.
@Suite("architecture: the module graph stays one-way")
struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Modules any target may import: the platform.
    static let platform: Set<String> = ["Foundation", "Glibc", "Synchronization"]

    /// The "| module | may import |" table of docs/architecture.md.
    static func rules() throws -> [String: Set<String>] {
        let page = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var rules: [String: Set<String>] = [:]
        var inTable = false
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| module | may import |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, !cells[1].hasPrefix("---") else { continue }
            rules[cells[1]] = Set(cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        }
        return rules
    }

    /// The module an import declaration names (`import X`, `@testable import X`, `import struct X.Y`); nil for other lines.
    static func moduleImported(by line: Substring) -> String? {
        var words = line.split(separator: " ")[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
        if let first = words.first, kinds.contains(first) { words = words.dropFirst() }
        return words.first.flatMap { $0.split(separator: ".").first }.map(String.init)
    }

    /// The modules each Swift target under Sources/ imports, with the file that imports each.
    static func imports() throws -> [String: [String: String]] {
        let sources = root.appendingPathComponent("Sources")
        var result: [String: [String: String]] = [:]
        for target in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            guard let files = FileManager.default.enumerator(atPath: sources.appendingPathComponent(target).path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: sources.appendingPathComponent(target).appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    if let module = moduleImported(by: Substring(line)) { result[target, default: [:]][module] = file }
                }
            }
        }
        return result
    }

    @Test("every target under Sources imports only what docs/architecture.md allows")
    func importsFollowThePage() throws {
        let rules = try Self.rules()
        #expect(rules.count >= 10, "the table was not found in docs/architecture.md")
        for (target, modules) in try Self.imports() {
            guard let allowed = rules[target] else {
                Issue.record("Sources/\(target) has no row in docs/architecture.md's import table")
                continue
            }
            for (module, file) in modules where !Self.platform.contains(module) && !allowed.contains(module) {
                Issue.record("Sources/\(target)/\(file) imports \(module), which docs/architecture.md does not allow")
            }
        }
    }

    @Test("import lines are read as Swift declares them; the page forbids the edges that would close a cycle")
    func checkerReadsImports() throws {
        #expect(Self.moduleImported(by: "import GRDB") == "GRDB")
        #expect(Self.moduleImported(by: "@testable import Simulator") == "Simulator")
        #expect(Self.moduleImported(by: "@preconcurrency import Glibc") == "Glibc")
        #expect(Self.moduleImported(by: "import struct Foundation.Date") == "Foundation")
        #expect(Self.moduleImported(by: "// import Store") == nil)
        #expect(Self.moduleImported(by: "let important = 1") == nil)
        let rules = try Self.rules()
        #expect(rules["Statistics"] == [])
        #expect(rules["RiverModel"] == [])
        #expect(rules["Report"]?.contains("Store") == false)
        #expect(rules["Pipeline"]?.contains("ArgumentParser") == false)
    }
}
