import Foundation
import Report
import Standards

/// October 2026 in Asia/Shanghai (UTC 2026-09-30 16:00 to 2026-10-31 16:00): the period every report test uses.
let october2026 = EvaluationPeriod(label: "2026-10", start: Date(timeIntervalSince1970: 1_790_784_000),
                                   end: Date(timeIntervalSince1970: 1_793_462_400))

/// An analysis of October 2026 with no points, rivers or findings, for tests that add only what they look at.
func emptyOctoberDocument() -> AnalysisDocument {
    AnalysisDocument(period: october2026, timeZone: "Asia/Shanghai", points: [], rivers: [],
                     district: GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil,
                                           method: .none, waterClass: nil, mainPollutants: []),
                     exceedances: [])
}
