import Foundation
import Report
import Standards
import TestSupport

/// An analysis of October 2026 with no points, rivers or findings, for tests that add only what they look at.
func emptyOctoberDocument() -> AnalysisDocument {
    AnalysisDocument(period: october2026, timeZone: "Asia/Shanghai", points: [], rivers: [],
                     district: GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil,
                                           method: .none, waterClass: nil, mainPollutants: []),
                     exceedances: [])
}
