import Foundation
@testable import Pipeline
import TestSupport
import Testing

/// A child process that outlives its timeout is killed with everything it started (a browser's helpers).
@Suite("bounded child processes")
struct BoundedProcessTests {
    @Test("at the timeout the child and the process it started are both killed")
    func killsTheFamily() throws {
        let marker = try scratchPath("grandchild.pid", label: "bounded")
        // The shell starts a long sleep in the background, writes its pid, then waits for it.
        let child = BoundedProcess(executable: URL(fileURLWithPath: "/bin/sh"),
                                   arguments: ["-c", "sleep 60 & echo $! > '\(marker)'; wait"], timeout: 1)
        let started = Date()
        guard case .timedOut = child.run() else {
            Issue.record("the child was not reported as timed out")
            return
        }
        #expect(Date().timeIntervalSince(started) < 10)
        let grandchild = try #require(pid_t(try String(contentsOfFile: marker, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed (it may linger a moment as a zombie of the init process): its /proc entry is gone or a zombie.
        var alive = true
        for _ in 0..<100 where alive {
            let state = (try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8)).flatMap { stat in
                stat.lastIndex(of: ")").map { close in stat[stat.index(close, offsetBy: 2)] }
            }
            alive = state != nil && state != "Z"
            if alive { usleep(20_000) }
        }
        #expect(!alive, "the background sleep \(grandchild) outlived the timeout")
    }

    @Test("a child that ends in time gives its status and the end of its output")
    func exits() {
        let child = BoundedProcess(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo hello; exit 3"], timeout: 10)
        guard case .exited(let status, let output) = child.run() else {
            Issue.record("the child did not exit")
            return
        }
        #expect(status == 3 && output == "hello")
    }
}
