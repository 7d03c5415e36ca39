import Foundation
@testable import Report
import RiverModel
import Standards
import TestSupport
import Testing

/// How long an exceedance episode lasted: first to last reading plus one reading interval, worked by hand.
@Suite("exceedance durations")
struct ExceedanceDurationTests {
    let start = october2026.start

    func writer(interval: Int?) -> ReportWriter {
        var parameter = ParameterResult(parameter: .ammoniaNitrogen, readings: 180, used: 180, censored: 0, expected: 186,
                                        completeness: 0.97, sufficient: true, mean: 1.2, waterClass: .iv,
                                        exceedanceMultiple: 0.2, targetExceedanceMultiple: nil, detectionLimitAboveTarget: false)
        parameter.intervalSeconds = interval
        var document = emptyOctoberDocument()
        document.points = [PointResult(pointID: "P", riverID: "R", targetClass: .iii, waterClass: .iv, grade: .lightlyPolluted,
                                       meetsTarget: false, mainPollutants: [], completeness: 0.97, insufficient: [],
                                       parameters: [parameter])]
        let network = Network(rivers: [River("R", name: "河")], points: [MonitoringPoint("P", name: "点", riverID: "R", kilometre: 1,
                                                                                           kind: .automatic)], sources: [])
        return ReportWriter(input: ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                                               timeZone: .chinaStandard, generatedAt: october2026.end), language: .zh)
    }

    func episode(readings: Int, spanHours: Double) -> ExceedanceEpisode {
        ExceedanceEpisode(pointID: "P", parameter: .ammoniaNitrogen, targetClass: .iii, limit: 1, start: start,
                          end: start.addingTimeInterval(spanHours * 3600), peak: 1.4, readings: readings)
    }

    @Test("one exceeding reading of a 4-hourly station lasted 4 h; three readings 4 h apart, 8 h span, lasted 12 h")
    func fourHourly() {
        let report = writer(interval: 14_400)
        #expect(report.episodeHours(episode(readings: 1, spanHours: 0)) == 4)
        #expect(report.episodeHours(episode(readings: 3, spanHours: 8)) == 12)
    }

    @Test("without the station's interval the episode's own spacing counts: 4 readings over 3 h lasted 4 h; one alone 1 h")
    func ownSpacing() {
        let report = writer(interval: nil)
        #expect(report.episodeHours(episode(readings: 4, spanHours: 3)) == 4)
        #expect(report.episodeHours(episode(readings: 1, spanHours: 0)) == 1)
    }
}
