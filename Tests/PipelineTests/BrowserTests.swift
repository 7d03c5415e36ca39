import Foundation
import Pipeline
import Testing
import TestSupport

/// The demo month's report opened in a real browser: headless Chromium from Debian's packages, which `make test
/// SLOW=1` (and so CI) installs with the CJK fonts. Screenshots and PDFs are kept in test-output/browser/ for a
/// person to look at.
@Suite("Reports in a browser", .tags(.slow), .enabled(if: slowTestsEnabled), .serialized)
struct BrowserTests {
    static let output = repositoryPath("test-output/browser")

    /// The browser the product would use for `--format pdf`. Missing is a failure, not a skip: the test setup
    /// installs it.
    func browser() throws -> HeadlessChromium {
        try #require(HeadlessChromium.find(), "no Chromium: `make test SLOW=1` installs it (apt-get install chromium fonts-noto-cjk)")
    }

    /// The demo's September (simulated as `make demo` does, the month only), reported as HTML and PDF in `language`.
    func demoReport(_ language: String) throws -> URL {
        let folder = try scratchFolder("browser-\(language)")
        let network = sampleNetworkPath
        let simulate = try rivertrace(["simulate", "--network", network, "--scenario", "demo", "--start", "2026-08-01",
                                       "--days", "61", "--out", folder.appendingPathComponent("dumps").path])
        #expect(simulate.status == 0, "\(simulate.err)")
        let store = folder.appendingPathComponent("store.sqlite").path
        let ingest = try rivertrace(["ingest", "--store", store, "--network", network, folder.appendingPathComponent("dumps").path])
        #expect(ingest.status == 0 || ingest.status == 3, "\(ingest.err)")
        let out = folder.appendingPathComponent("report")
        let report = try rivertrace(["report", "--store", store, "--network", network, "--period", "2026-09", "--lang", language,
                                     "--format", "html", "--format", "pdf", "--out", out.path])
        // Exit 3 would only say coverage is short; the files are what is checked here.
        #expect(report.status == 0 || report.status == 3, "\(report.err)")
        return out
    }

    /// The console lines Chromium logged while loading `page` (errors, policy violations, uncaught exceptions), and
    /// the page's DOM after loading.
    func load(_ page: URL, with browser: HeadlessChromium) throws -> (console: [String], dom: String) {
        let (status, output) = try browser.run(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", "--dump-dom",
                                                page.absoluteString], keptBytes: 64 << 20)
        #expect(status == 0, "\(output.suffix(500))")
        let console = output.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (console, output)
    }

    /// The font families installed here that have a glyph for every one of `characters` (fontconfig's view,
    /// which is what Chromium on Linux uses).
    func fonts(covering characters: Set<Unicode.Scalar>) throws -> String {
        guard !characters.isEmpty else { return "" }
        let charset = characters.map { String($0.value, radix: 16) }.sorted().joined(separator: " ")
        return try run(URL(fileURLWithPath: "/usr/bin/fc-list"), [":charset=\(charset)", "family"]).out
    }

    func keep(_ file: URL, as name: String) throws {
        try FileManager.default.createDirectory(atPath: Self.output, withIntermediateDirectories: true)
        let target = URL(fileURLWithPath: Self.output).appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: file, to: target)
    }

    @Test("the console check sees a console error and a policy violation (the check can fail)")
    func consoleCheckWorks() throws {
        let browser = try browser()
        let page = try scratchFile("""
            <!DOCTYPE html><html><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"></head>
            <body><img src="https://example.invalid/x.png"><script>console.error("broken")</script></body></html>
            """, name: "broken.html")
        let console = try load(URL(fileURLWithPath: page), with: browser).console
        #expect(console.contains { $0.contains("broken") })
        #expect(console.contains { $0.contains("Content Security Policy") })
    }

    @Test("the demo month's HTML loads in Chromium with nothing on the console, every CJK character has a font, and prints to PDF",
          arguments: ["zh", "en"])
    func demoMonth(language: String) throws {
        let browser = try browser()
        let folder = try demoReport(language)
        let html = folder.appendingPathComponent("report.html")
        let pdf = folder.appendingPathComponent("report.pdf")
        #expect(FileManager.default.fileExists(atPath: pdf.path))

        let (console, dom) = try load(html, with: browser)
        #expect(console.isEmpty, "console: \(console.prefix(5))")
        #expect(dom.contains(language == "zh" ? "水质月报" : "Water quality monthly report"))
        #expect(dom.contains("<svg class=\"chart\""), "the charts are inline")

        // No missing glyphs: every character of the document beyond ASCII has a font on this machine, and every
        // CJK one is in the first family of the font stack (Noto Sans CJK SC, from fonts-noto-cjk).
        let text = try String(contentsOf: html, encoding: .utf8)
        let needed = Set(text.unicodeScalars.filter { $0.value > 0x7F && $0.properties.generalCategory != .format })
        let uncovered = try needed.filter { try fonts(covering: [$0]).isEmpty }
        #expect(uncovered.isEmpty, "characters no installed font has: \(uncovered.map { "U+" + String($0.value, radix: 16) })")
        let cjk = needed.filter { $0.value >= 0x2E80 && !($0.value >= 0xFE00 && $0.value <= 0xFE0F) && $0.value < 0x1F000 }
        #expect(!cjk.isEmpty || language == "en")
        let lacking = try cjk.filter { try !fonts(covering: [$0]).contains("Noto Sans CJK SC") }
        #expect(try fonts(covering: cjk).contains("Noto Sans CJK SC") || cjk.isEmpty,
                "Noto Sans CJK SC lacks \(lacking.map { String($0) }.joined()) of the \(cjk.count) CJK characters")

        // The PDF carries the text, not boxes: pdftotext finds the title and every river's name in it.
        let extracted = try run(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-enc", "UTF-8", pdf.path, "-"])
        #expect(extracted.status == 0)
        let pdfText = extracted.out.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        for river in sampleNetwork.rivers where language == "zh" {
            #expect(pdfText.contains(river.name), "river \(river.name) not found in the PDF's text")
        }
        #expect(pdfText.contains(language == "zh" ? "水质月报" : "Waterqualitymonthlyreport"))

        let screenshot = folder.appendingPathComponent("report.png")
        let shot = try browser.run(["--hide-scrollbars", "--window-size=1280,2600", "--screenshot=\(screenshot.path)", html.absoluteString])
        #expect(shot.status == 0 && FileManager.default.fileExists(atPath: screenshot.path))
        try keep(screenshot, as: "report-2026-09-\(language).png")
        try keep(pdf, as: "report-2026-09-\(language).pdf")
        try keep(html, as: "report-2026-09-\(language).html")
    }

    @Test("the offline map opens in Chromium with nothing on the console and draws every river, point and source of the GeoJSON",
          arguments: ["zh", "en"])
    func map(language: String) throws {
        let browser = try browser()
        let folder = try demoReport(language)
        let geojson = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("network.geojson")))
        let features = try #require((geojson as? [String: Any])?["features"] as? [[String: Any]])
        func count(_ kind: String) -> Int {
            features.filter { ($0["properties"] as? [String: Any])?["feature"] as? String == kind }.count
        }
        // Every river, point and source of the sample district has a place (points by their coordinates, the rest
        // along their rivers).
        #expect(count("river") == sampleNetwork.rivers.count)
        #expect(count("point") == sampleNetwork.points.count)
        #expect(count("source") == sampleNetwork.sources.count)

        let (console, dom) = try load(folder.appendingPathComponent("map.html"), with: browser)
        #expect(console.isEmpty, "console: \(console.prefix(5))")
        // The script drew them: a polyline per river, a square (station) or disc (manual point) per point, a
        // triangle per source; the legend adds one of each shape.
        func drawn(_ tag: String) -> Int { dom.components(separatedBy: "<\(tag) ").count - 1 }
        #expect(drawn("polyline") >= count("river"))
        let automatic = sampleNetwork.points.filter { $0.kind == .automatic }.count
        #expect(drawn("rect") >= automatic)
        #expect(drawn("circle") >= sampleNetwork.points.count - automatic)
        if language == "en" {
            // English names throughout: the map's labels and tooltips carry no CJK.
            let drawnMap = dom.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }.joined()
            let svg = drawnMap
            #expect(!svg.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "CJK on the English map")
        }
        let screenshot = folder.appendingPathComponent("map.png")
        let shot = try browser.run(["--hide-scrollbars", "--window-size=1200,900", "--virtual-time-budget=3000",
                                    "--screenshot=\(screenshot.path)", folder.appendingPathComponent("map.html").absoluteString])
        #expect(shot.status == 0 && FileManager.default.fileExists(atPath: screenshot.path))
        try keep(screenshot, as: "map-2026-09-\(language).png")
    }
}
