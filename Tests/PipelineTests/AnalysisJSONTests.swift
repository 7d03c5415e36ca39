import Foundation
import Pipeline
import Report
import Standards
import TestSupport
import Testing

@Suite("the analysis JSON written a list element at a time")
struct AnalysisJSONStreamTests {
    /// What `writeJSON` writes, in one piece.
    private func streamed(_ document: AnalysisDocument) throws -> Data {
        var written = Data()
        try document.writeJSON { written.append($0) }
        return written
    }

    @Test("byte for byte what the encoder writes for the whole document, for a quarter with events, traces and incidents")
    func sameAsTheEncoder() throws {
        let store = try ingestOne(try scratchFile(quarterRows(plumes: [19 * 24 + 10, 60 * 24 + 20]))).1
        let period = EvaluationPeriod(label: "2026-08..2026-10", start: Date(timeIntervalSince1970: 1_785_513_600),
                                      end: Date(timeIntervalSince1970: 1_785_513_600 + 92 * 86_400))
        let document = try AnalysisJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard).run(period: period)
        // Lists with several elements and lists empty: both shapes are written.
        #expect(document.events.count >= 2 && document.traces.count >= 2 && document.points.count >= 2)
        #expect(document.faults.isEmpty || document.blackOdorous.isEmpty || document.changePoints.isEmpty)
        #expect(try streamed(document) == (try AnalysisDocument.jsonEncoder.encode(document)) + Data("\n".utf8))
    }

    @Test("byte for byte what the encoder writes for a document whose lists are all empty")
    func emptyLists() throws {
        let document = AnalysisDocument(period: EvaluationPeriod(label: "2026-10", start: Date(timeIntervalSince1970: 1_790_784_000),
                                                                 end: Date(timeIntervalSince1970: 1_793_462_400)),
                                        timeZone: "Asia/Shanghai", points: [], rivers: [],
                                        district: GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil,
                                                              method: .none, waterClass: nil, mainPollutants: []),
                                        exceedances: [])
        let text = String(decoding: try streamed(document), as: UTF8.self)
        #expect(text == String(decoding: try AnalysisDocument.jsonEncoder.encode(document), as: UTF8.self) + "\n")
        #expect(text.contains("\"events\" : [\n\n  ]"))
    }
}
