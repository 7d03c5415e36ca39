import Foundation
import RiverModel
import Standards
import Statistics
import Store

extension AnalysisJob {
    /// Trends look back this far from the period's end.
    static let trendYears = 10
    /// The parameters whose long-term trends a river chief acts on.
    static let trendParameters: [Parameter] = [.ammoniaNitrogen, .totalPhosphorus, .permanganateIndex, .dissolvedOxygen,
                                               .chemicalOxygenDemand, .totalNitrogen, .conductivity]

    /// Long-term trends (seasonal Kendall on monthly medians of daily means; its censored form where months are below
    /// a detection limit) and shifts (Pettitt) of every point and trend parameter, over up to ten years before the
    /// period's end (and not after ``asOf``); p-values adjusted together (BH).
    public func trends(until end: Date) throws -> (trends: [SeriesTrend], changePoints: [ChangePoint]) {
        let offset = timeZone.secondsFromGMT(for: end)
        let endDay = Int((end.timeIntervalSince1970 + Double(offset)) / 86_400)
        let (endYear, _, _) = CivilCalendar.date(days: endDay - 1)
        let firstYear = endYear - Self.trendYears + 1
        let from = Date(timeIntervalSince1970: Double(CivilCalendar.days(year: firstYear, month: 1, day: 1) * 86_400 - offset))
        var trends: [SeriesTrend] = []
        var changePoints: [ChangePoint] = []
        for point in network.points {
            for parameter in Self.trendParameters {
                let days = try store.dailyMeans(point: point.id, parameter: parameter, from: from, to: visibleEnd(end),
                                                secondsFromGMT: offset)
                guard !days.isEmpty else { continue }
                var byMonth: [Int: [DailyMean]] = [:]
                for day in days {
                    let (year, month, _) = CivilCalendar.date(days: day.day)
                    byMonth[(year - firstYear) * 12 + month - 1, default: []].append(day)
                }
                let firstIndex = (byMonth.keys.min()! / 12) * 12
                let lastIndex = byMonth.keys.max()!
                // A day with a reading below its detection limit averaged that reading at its limit: its mean is an
                // upper bound ("<mean"), never a measurement. The month's median is detected only where the detected
                // days fix it (CensoredValue.median), so "<0.05" never enters a Mann-Kendall test as 0.05.
                let months = (firstIndex...lastIndex).map { index in
                    byMonth[index].flatMap { days in
                        CensoredValue.median(days.map { CensoredValue($0.mean, censored: $0.anyCensored) })
                    }
                }
                let (trend, shift) = MonthlyTrend.assess(pointID: point.id, parameter: parameter,
                                                         values: months.map { $0?.value },
                                                         censored: months.map { $0?.censored ?? false },
                                                         firstYear: firstYear + firstIndex / 12)
                trends.append(trend)
                if let shift { changePoints.append(shift) }
            }
        }
        let assessed = trends.indices.filter { trends[$0].p != nil }
        let adjusted = BenjaminiHochberg.adjust(assessed.map { trends[$0].p! })
        for (index, p) in zip(assessed, adjusted) {
            trends[index].pAdjusted = p
            if p >= 0.05 { trends[index].trend = .noTrend }
        }
        return (trends, changePoints)
    }
}
