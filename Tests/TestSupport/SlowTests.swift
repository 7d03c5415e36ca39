import Foundation
import Testing

extension Tag {
    /// Tens of seconds to minutes: left out of `make test`, run by `make test-all` (RIVERTRACE_SLOW_TESTS=1).
    /// Give a slow test both traits, `.tags(.slow), .enabled(if: slowTestsEnabled)`; the tag says why it is
    /// skipped, the condition skips it (Swift Testing on Linux cannot select tests by tag from the command line).
    @Tag public static var slow: Self
}

/// Whether the slow tests run: RIVERTRACE_SLOW_TESTS is set and not "0" (`make test-all`, `.ci/run`).
public let slowTestsEnabled: Bool = {
    guard let value = ProcessInfo.processInfo.environment["RIVERTRACE_SLOW_TESTS"] else { return false }
    return value != "0" && !value.isEmpty
}()
