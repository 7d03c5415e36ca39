import Foundation
import Testing
@testable import Report

/// The self-contained HTML document made from the report's Markdown pages (HTMLReport).
@Suite("HTML report")
struct HTMLReportTests {
    /// A report of three pages and two charts, written by hand in the shape ReportWriter writes.
    let files: [String: String] = [
        "report.md": """
            # 水质监测报告 2026-09

            ![河网](network.svg)

            | 河流 | 一河一策 |
            |---|---|
            | 李大河 | [查看](rivers/LDH.md) |
            | \\<script\\>alert(1)\\</script\\> | [查看](rivers/X%252FY.md) |

            See [the incident](traces/LDH-03-20260923-0400.md) and [OSM](https://www.openstreetmap.org/?mlat=31.8&mlon=119.9).
            """,
        "rivers/LDH.md": "# 李大河\n\n[← back](../report.md)\n\n![profile](LDH-profile-nh3n.svg)\n",
        "rivers/X%2FY.md": "# X/Y\n",
        "traces/LDH-03-20260923-0400.md": "# 溯源报告\n\n[河流](../rivers/LDH.md) [地图](../map.html) [GeoJSON](LDH-03-20260923-0400.geojson)\n",
        "network.svg": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><defs><pattern id=\"hatch\"/></defs><rect fill=\"url(#hatch)\"/></svg>\n",
        "rivers/LDH-profile-nh3n.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><defs><pattern id=\"hatch\"/></defs><rect fill=\"url(#hatch)\"/></svg>",
    ]

    var html: String { HTMLReport(files: files, language: .zh).document() }

    @Test("pages come in reading order: the report, then rivers and incidents in the order the report links them")
    func order() {
        #expect(HTMLReport(files: files, language: .zh).pages
                == ["report.md", "rivers/LDH.md", "rivers/X%2FY.md", "traces/LDH-03-20260923-0400.md"])
    }

    @Test("links between pages point at their sections in the document; a link to the web stays as it is")
    func links() {
        // Sections are numbered in page order: report 1, LDH 2, X/Y 3, the incident 4.
        #expect(html.contains("<a href=\"#page-2\">查看</a>"))
        #expect(html.contains("<a href=\"#page-3\">查看</a>"), "the percent-encoded file name resolves to its page")
        #expect(html.contains("<a href=\"#page-4\">the incident</a>"))
        #expect(html.contains("<a href=\"#page-1\">← back</a>"), "../report.md from a river page")
        #expect(html.contains("https://www.openstreetmap.org/?mlat=31.8&mlon=119.9"))
        #expect(!html.contains(".md\""), "no link to a Markdown file is left")
        // Files that are not pages are linked from report.html, which lies in the report folder's root.
        #expect(html.contains("<a href=\"map.html\">地图</a>"))
        #expect(html.contains("<a href=\"traces/LDH-03-20260923-0400.geojson\">GeoJSON</a>"))
    }

    @Test("charts are inlined as SVG, without their XML declaration, and their ids cannot collide")
    func charts() {
        #expect(!html.contains("<img"))
        #expect(!html.contains("<?xml"))
        #expect(html.components(separatedBy: "<svg class=\"chart\" role=\"img\"").count == 3)
        #expect(html.contains("aria-label=\"河网\""))
        // Both charts defined id="hatch": each now has its own, and each reference follows its own id.
        #expect(html.contains("id=\"f1-hatch\"") && html.contains("url(#f1-hatch)"))
        #expect(html.contains("id=\"f2-hatch\"") && html.contains("url(#f2-hatch)"))
        #expect(!html.contains("id=\"hatch\""))
    }

    @Test("user text escaped for Markdown reaches the HTML as text, never as a tag")
    func escaping() {
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
    }

    @Test("the document loads nothing: its policy forbids scripts and fetches, and it names no stylesheet or font file")
    func selfContained() {
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("@import"))
    }

    @Test("the print style sheet starts each river and each incident on a new page")
    func printBreaks() {
        #expect(html.contains("<section class=\"page river\" id=\"page-2\">"))
        #expect(html.contains("<section class=\"page incident\" id=\"page-4\">"))
        #expect(html.contains("section.river, section.incident { break-before: page;"))
    }

    @Test("the title is the report's first heading, and the language is declared", arguments: [ReportLanguage.zh, .en])
    func title(language: ReportLanguage) {
        let document = HTMLReport(files: files, language: language).document()
        #expect(document.contains("<title>水质监测报告 2026-09</title>"))
        #expect(document.contains("<html lang=\"\(language == .zh ? "zh-CN" : "en")\">"))
    }

    @Test("a link that leaves the report folder is not resolved to a page")
    func outside() {
        #expect(HTMLReport.resolve("../../etc/passwd", from: "rivers/LDH.md") == nil)
        #expect(HTMLReport.resolve("../report.md", from: "rivers/LDH.md") == "report.md")
        #expect(HTMLReport.resolve("X%2FY.md", from: "rivers/LDH.md") == "rivers/X/Y.md",
                "percent-decoding happens once; such a page is not in the files, so the link is left alone")
    }

    @Test("a backslash in user text survives: escaped for Markdown, it reaches the HTML as a backslash")
    func backslash() {
        let page = "# " + escapeMarkdown(#"C:\排口\A*"#) + "\n"
        let document = HTMLReport(files: ["report.md": page], language: .zh).document()
        // The heading shows C:\排口\A* — each backslash as the entity &#92;, the star as text.
        #expect(document.contains("<h1>C:&#92;排口&#92;A*</h1>"))
    }

    @Test("names Ink would loop on or open a tag with reach the HTML as text", arguments: [
        "新建<P2>泵站", "截污<p>", "Outfall <p-3>", "&x<a/href=https://evil.example/>;Bridge", "&lt;b&gt;", "A & B; <br>",
    ])
    func hostileNames(name: String) {
        let page = "# " + escapeMarkdown(name) + "\n\n| a |\n|---|\n| " + escapeMarkdown(name) + " |\n\n- " + escapeMarkdown(name) + "\n"
        let body = HTMLReport(files: ["report.md": page], language: .en).document()
            .components(separatedBy: "<body>")[1]
        // Every < of the name is the entity: the only tags are the ones the page's structure makes.
        let tags = Set(body.matches(of: /<\/?([a-zA-Z0-9]+)/).map { String($0.1) })
        #expect(tags.isSubset(of: ["section", "h1", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "p", "body", "html"]), "\(tags)")
        #expect(!body.contains("<a") && !body.contains("<br") && !body.contains("<p2") && !body.contains("<P2"))
        // And the name reads as typed: its characters as entities, an entity-looking text kept as text.
        let escapedName = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        #expect(body.contains("<h1>\(escapedName)</h1>"))
    }
}
