import Foundation
import Ink

/// What a report is written as. Markdown and its SVG charts are always written; HTML adds `report.html`, one
/// self-contained document; PDF adds `report.pdf`, that document printed by headless Chromium.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown, html, pdf
}

/// The whole report as one self-contained HTML document: the main report, then one section per river page and one
/// per trace-back report, with every chart inlined as SVG and the style sheet inline. It loads nothing (its
/// Content-Security-Policy forbids every fetch and every script), so it opens offline, can be mailed as one file, and
/// prints to PDF with a page break before each river and each incident.
///
/// It is made from the Markdown files ``ReportWriter/files()`` returns: Ink turns each page into HTML, links
/// between pages become links inside the document, and `![alt](chart.svg)` becomes the chart itself. User text was
/// escaped for Markdown when the pages were written; Ink turns those escapes into HTML entities.
public struct HTMLReport {
    /// The report's files: path relative to the report folder → content (Markdown pages and SVG charts).
    public let files: [String: String]
    public let language: ReportLanguage

    public init(files: [String: String], language: ReportLanguage) {
        self.files = files
        self.language = language
    }

    /// The document's file name in the report folder.
    public static let fileName = "report.html"

    /// The pages in reading order: the main report, then the river pages and the trace-back reports, each in the
    /// order the main report first links them, the rest after them by name.
    public var pages: [String] {
        let main = "report.md"
        let linked = Self.linkTargets(in: files[main] ?? "", from: main)
        func section(_ folder: String) -> [String] {
            let all = files.keys.filter { $0.hasPrefix(folder + "/") && $0.hasSuffix(".md") }
            let first = linked.filter { all.contains($0) }
            var seen = Set<String>()
            return (first + all.sorted()).filter { seen.insert($0).inserted }
        }
        return (files[main] == nil ? [] : [main]) + section("rivers") + section("traces")
    }

    /// The HTML document.
    public func document() -> String {
        let pages = pages
        let anchors = Dictionary(uniqueKeysWithValues: pages.enumerated().map { ($1, "page-\($0 + 1)") })
        var body: [String] = []
        var figures = 0
        for page in pages {
            let kind = page.hasPrefix("rivers/") ? "river" : page.hasPrefix("traces/") ? "incident" : "main"
            body.append("<section class=\"page \(kind)\" id=\"\(anchors[page]!)\">")
            body.append(html(of: page, anchors: anchors, figures: &figures))
            body.append("</section>")
        }
        let title = Self.firstHeading(files["report.md"] ?? "") ?? "rivertrace"
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="rivertrace">
            <title>\(escapeXML(title))</title>
            <style>
            \(Self.styleSheet)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// One page's HTML: its links to other pages pointed at their sections, its charts inlined.
    func html(of page: String, anchors: [String: String], figures: inout Int) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .links) { input in
            Self.replacingAttribute("href", in: input.html) { target in
                guard !target.contains(":") else { return target }
                let (path, fragment) = Self.split(target)
                guard let resolved = Self.resolve(path, from: page) else { return target }
                if let anchor = anchors[resolved] { return "#" + anchor }
                // Another file of the report (a GeoJSON, map.html): relative to report.html, in the folder's root.
                let target = markdownLinkTarget(resolved)
                return fragment.map { target + "#" + $0 } ?? target
            }
        })
        // Ink renders a page at a time, and the modifier cannot change `figures`: count the inlined charts here.
        let counter = FigureCounter(start: figures)
        parser.addModifier(Modifier(target: .images) { [files] input in
            guard let source = Self.attribute("src", in: input.html),
                  let resolved = Self.resolve(Self.split(source).path, from: page),
                  resolved.hasSuffix(".svg"), let svg = files[resolved] else { return input.html }
            let alt = (Self.attribute("alt", in: input.html) ?? "").replacingOccurrences(of: "\"", with: "&quot;")
            return Self.inlined(svg, label: alt, prefix: "f\(counter.next())-")
        })
        let html = parser.html(from: Self.escapesAsEntities(files[page] ?? ""))
        figures = counter.value
        return html
    }

    /// The Markdown with the escapes ``escapeMarkdown(_:)`` writes for `\\ < > &` given as HTML entities
    /// (`&#92; &lt; &gt; &amp;`) before Ink reads it. Ink mishandles these escapes: it drops both characters of `\\`,
    /// it stops at an escaped `<` before `p` without moving on (a name like `<P2>` would loop for ever), and it copies
    /// `&…;` out as it stands, escaped tags inside included. Other escapes (`\*`, `\|`, …) Ink reads correctly.
    static func escapesAsEntities(_ markdown: String) -> String {
        let entities: [Character: String] = ["\\": "&#92;", "<": "&lt;", ">": "&gt;", "&": "&amp;"]
        var out = ""
        var pendingBackslash = false
        for character in markdown {
            if pendingBackslash {
                out += entities[character] ?? "\\" + String(character)
                pendingBackslash = false
            } else if character == "\\" {
                pendingBackslash = true
            } else {
                out.append(character)
            }
        }
        if pendingBackslash { out.append("\\") }
        return out
    }

    // MARK: pieces

    /// Numbers the inlined charts across pages, so that ids inside one chart cannot collide with another's.
    final class FigureCounter: @unchecked Sendable {
        private(set) var value: Int
        init(start: Int) { value = start }
        func next() -> Int {
            value += 1
            return value
        }
    }

    /// An SVG file as an inline `<svg>` element: the XML declaration dropped, labelled for screen readers, and any
    /// `id` (and its `url(#…)` and `href="#…"` references) prefixed, so two charts never share an id.
    static func inlined(_ svg: String, label: String, prefix: String) -> String {
        var text = svg
        if let declaration = text.range(of: "<?xml"), let end = text.range(of: "?>", range: declaration.upperBound..<text.endIndex) {
            text.removeSubrange(declaration.lowerBound..<end.upperBound)
        }
        text = text.replacingOccurrences(of: " id=\"", with: " id=\"\(prefix)")
            .replacingOccurrences(of: "url(#", with: "url(#\(prefix)")
            .replacingOccurrences(of: "href=\"#", with: "href=\"#\(prefix)")
        if let open = text.range(of: "<svg ") {
            text.replaceSubrange(open, with: "<svg class=\"chart\" role=\"img\" aria-label=\"\(label)\" ")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value of `name="…"` in a tag Ink wrote (Ink writes double quotes and leaves the value as given).
    static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: " \(name)=\""),
              let end = html.range(of: "\"", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// `html` with the value of its first `name="…"` replaced by `transform(value)`.
    static func replacingAttribute(_ name: String, in html: String, _ transform: (String) -> String) -> String {
        guard let start = html.range(of: " \(name)=\""),
              let end = html.range(of: "\"", range: start.upperBound..<html.endIndex) else { return html }
        var out = html
        out.replaceSubrange(start.upperBound..<end.lowerBound, with: transform(String(html[start.upperBound..<end.lowerBound])))
        return out
    }

    /// A link target split at its `#`.
    static func split(_ target: String) -> (path: String, fragment: String?) {
        guard let hash = target.firstIndex(of: "#") else { return (target, nil) }
        return (String(target[..<hash]), String(target[target.index(after: hash)...]))
    }

    /// A relative link target of `page`, percent-decoded and resolved against the page's folder: the report file
    /// it names, or nil when it leaves the report folder.
    static func resolve(_ target: String, from page: String) -> String? {
        guard !target.isEmpty, let decoded = target.removingPercentEncoding, !decoded.hasPrefix("/") else { return nil }
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for part in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The report files a page links to, in order of first appearance.
    static func linkTargets(in markdown: String, from page: String) -> [String] {
        var targets: [String] = []
        var rest = markdown[...]
        while let open = rest.range(of: "](") {
            guard let close = rest.range(of: ")", range: open.upperBound..<rest.endIndex) else { break }
            if let resolved = resolve(split(String(rest[open.upperBound..<close.lowerBound])).path, from: page) {
                targets.append(resolved)
            }
            rest = rest[close.upperBound...]
        }
        return targets
    }

    /// The text of the first `# ` heading, with its Markdown escapes removed.
    static func firstHeading(_ markdown: String) -> String? {
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix("# ") }) else { return nil }
        var out = ""
        var escaped = false
        for character in line.dropFirst(2) {
            if character == "\\" && !escaped {
                escaped = true
                continue
            }
            escaped = false
            out.append(character)
        }
        return out
    }

    /// Screen and print: the CJK font stack the charts use, tables that break across pages with their header
    /// repeated, a new page for each river and each incident, charts never cut.
    static let styleSheet = """
        :root { color-scheme: light; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", \
        "PingFang SC", "Heiti SC", sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0 auto; \
        max-width: 1100px; padding: 1.5rem; }
        h1 { font-size: 1.6rem; border-bottom: 2px solid #333; padding-bottom: .2rem; }
        h2 { font-size: 1.25rem; border-bottom: 1px solid #999; margin-top: 1.8rem; }
        h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .85rem; }
        th, td { border: 1px solid #888; padding: .2rem .45rem; vertical-align: top; }
        th { background: #e8e8e8; }
        tr:nth-child(even) td { background: #f6f6f6; }
        svg.chart { display: block; max-width: 100%; height: auto; margin: .6rem 0; }
        section.page + section.page { border-top: 3px double #666; margin-top: 2.5rem; padding-top: 1rem; }
        code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: .9em; }
        a { color: #0b4f9c; }
        @page { size: A4; margin: 16mm 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          section.river, section.incident { break-before: page; border-top: none; margin-top: 0; padding-top: 0; }
          h1, h2, h3 { break-after: avoid; }
          table { break-inside: auto; }
          thead { display: table-header-group; }
          tr, svg.chart { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
