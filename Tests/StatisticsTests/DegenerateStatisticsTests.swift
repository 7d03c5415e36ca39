import Foundation
import Statistics
import Testing

/// The reason a test was not assessed, or nil when it returned a result.
private func reason(_ body: () throws -> Any) -> NotAssessedReason? {
    do {
        _ = try body()
        return nil
    } catch let error as TrendTestError {
        return error.reason
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("degenerate statistics are not assessed, never NaN")
struct DegenerateStatisticsTests {
    // Hand-worked: x = 1, 3, 1, 3, 1, 3. The 15 pair slopes are −2 ×2, −2/3, 0 ×6, 2/5, 2/3 ×2, 2 ×3: Sen's slope
    // (the 8th) is 0, so the detrended series is x, centred ∓1: γ₀ = 1, γ₁ = 5·(−1)/6, ρ₁ = −5/6.
    // Yue–Wang with lag 1: factor 1 + 2(1 − 1/6)(−5/6) = −7/18. Var(S) = [6·5·17 − 2·(3·2·11)]/18 = 21, so the
    // corrected Var(S) = −49/6; pyMannKendall 1.4.3 prints var_s −8.16666666666667 and z, p NaN.
    @Test("Yue–Wang with lag 1 on 1, 3, 1, 3, 1, 3: factor −7/18 by hand, not assessed with that factor")
    func yueWangFactorBelowZero() throws {
        let found = reason { try MannKendall.yueWang([1, 3, 1, 3, 1, 3], lag: 1) }
        guard case .correctedVarianceNotPositive(let method, let factor)? = found else {
            Issue.record("expected a corrected variance ≤ 0, got \(String(describing: found))")
            return
        }
        #expect(method == .yueWang)
        #expect(abs(factor - -7.0 / 18) < 1e-12)
        #expect(found?.code == "corrected_variance_not_positive")
    }

    // x = 1, 1, 2, 1, 3, 2, 3 (n = 7): Sen's slope 1/3 (pyMannKendall). Detrended x_i − i/3 = 2/3, 1/3, 1, −1/3, 4/3, 0,
    // 2/3. In binary floating point 3 − 7·(1/3) comes out above 1 − 1/3, so the ranks are 4 3 6 1 7 2 5 (SciPy's
    // rankdata agrees); centred 0 −1 2 −3 3 −2 1: γ₀ = 28/7, lag-1 sum −25, ρ₁ = −25/28, beyond 1.96/√7 = 0.741; the
    // other lags are not significant (ρ₂ = 17/28). Factor 1 + 2/(7·6·5)·(6·5·4)·ρ₁ = 1 − (8/7)(25/28) = −1/49.
    // (In exact arithmetic the two 2/3 tie and the factor is −1/55: ≤ 0 either way.) pyMannKendall: var_s
    // −0.7891156462585128 = −1/49 × 696/18, z and p NaN.
    @Test("Hamed–Rao on 1, 1, 2, 1, 3, 2, 3: factor −1/49 by hand and by pyMannKendall, not assessed")
    func hamedRaoFactorBelowZero() throws {
        let found = reason { try MannKendall.hamedRao([1, 1, 2, 1, 3, 2, 3]) }
        guard case .correctedVarianceNotPositive(let method, let factor)? = found else {
            Issue.record("expected a corrected variance ≤ 0, got \(String(describing: found))")
            return
        }
        #expect(method == .hamedRao)
        #expect(abs(factor - -1.0 / 49) < 1e-12)
        #expect(abs(factor * 696 / 18 - -0.7891156462585128) < 1e-12)
    }

    @Test("an exactly linear series has no autocorrelation to correct by: the corrections are not assessed",
          arguments: [[1.0, 2, 3, 4, 5, 6], [0.1, 0.2, 0.3, 0.4, 0.5], [10, 8, 6, 4]])
    func linearSeries(values: [Double]) throws {
        // Detrended by its own Sen slope the series is constant: ρ = 0/0 (pyMannKendall: NaN for Hamed–Rao and
        // Yue–Wang; trend-free pre-whitening carries the NaN on into S = 0, p = 1, "no trend").
        let series = values.map { Optional($0) }
        #expect(reason { try MannKendall.hamedRao(series) } == .autocorrelationUndefined(method: .hamedRao))
        #expect(reason { try MannKendall.yueWang(series) } == .autocorrelationUndefined(method: .yueWang))
        #expect(reason { try MannKendall.trendFreePreWhitening(series) } == .autocorrelationUndefined(method: .trendFreePreWhitening))
        // The original test is defined: S = n(n−1)/2 in absolute value, all pairs ordered.
        let n = Double(values.count)
        #expect(abs(try MannKendall.original(series).s) == n * (n - 1) / 2)
    }

    // Seasons of period 2: 1, 1, 1 and 5, 5, 5. Each season's Var(S) = [3·2·11 − 3·2·11]/18 = 0: no pair is ordered.
    // pyMannKendall 1.4.3 seasonal_test: var_s 0.0, z 0, p 1.0 — a p-value from a zero variance.
    @Test("a seasonal series whose every season is constant has Var(S) = 0: not assessed, no p = 1 from nothing")
    func seasonalZeroVariance() throws {
        #expect(reason { try MannKendall.seasonal([1, 5, 1, 5, 1, 5], period: 2) } == .varianceNotPositive)
    }

    // x = 1, 3, 2, 4 (n = 4): average ranks 1, 3, 2, 4; U_t = 2Σr − t(n + 1): t = 1: 2 − 5 = −3; t = 2: 8 − 10 = −2;
    // t = 3: 12 − 15 = −3. K = 3 (first at t = 1); 2·exp(−6·9/(64 + 16)) = 2·exp(−0.675) = 1.0183 → p = 1.
    @Test("Pettitt's p-value is capped at 1: 1, 3, 2, 4 gives 2·exp(−0.675) = 1.018 by the formula, reported 1")
    func pettittCapped() throws {
        let result = try Pettitt.test([1, 3, 2, 4])
        #expect(result.u == 3 && result.changePoint == 1)
        #expect(result.p == 1)
        #expect(!result.h)
    }

    @Test("every not-assessed reason has a code and a message in English and Chinese, and no NaN in them")
    func reasonsAreComplete() {
        let reasons: [NotAssessedReason] = [
            .tooFewValues(found: 3, needed: 4), .allValuesEqual, .noSeasonWithTwoValues, .varianceNotPositive,
            .correctedVarianceNotPositive(method: .hamedRao, factor: -0.02), .correctedVarianceNotPositive(method: .yueWang, factor: .nan),
            .autocorrelationUndefined(method: .trendFreePreWhitening), .tooFewCompleteRows(found: 1, columns: 3),
            .covariateExplainsSeries, .tooFewDetected(found: 2, needed: 3), .tooManyCensored(censored: 5, of: 10, maximumShare: 0.3),
            .noCertainComparison, .slopeUnbounded, .tooFewPairsAtDifferentTimes,
            .tooFewYears(found: 2, needed: 3, monthsPerYear: 9), .nonFiniteResult,
        ]
        #expect(Set(reasons.map(\.code)).count == reasons.count - 1)  // the two corrected-variance cases share one
        for reason in reasons {
            #expect(reason.code.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(!reason.english.isEmpty && !reason.chinese.isEmpty)
            #expect(!reason.english.lowercased().contains("nan") && !reason.chinese.lowercased().contains("nan"))
        }
    }

    @Test("values too large for the arithmetic give no infinity: not assessed")
    func overflow() {
        // Pair slopes −∞ (three pairs), 0, 0, +∞: the differences of ±1.7e308 overflow, and Sen's slope is the mean of
        // the 3rd and 4th, (−∞ + 0)/2 = −∞.
        let huge: [Double?] = [1.7e308, -1.7e308, 1.7e308, -1.7e308]
        #expect(reason { try MannKendall.original(huge) } == .nonFiniteResult)
    }
}
