import Foundation
import Standards

/// October 2026 in China Standard Time: 2026-10-01 00:00 +08 (UTC 09-30 16:00) to 2026-11-01 00:00 +08.
public let october2026 = EvaluationPeriod(label: "2026-10", start: Date(timeIntervalSince1970: 1_790_784_000),
                                          end: Date(timeIntervalSince1970: 1_793_462_400))
