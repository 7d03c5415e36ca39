import Foundation

// Every file a test writes goes under one folder per test process, $TMPDIR/rivertrace-tests-<pid>, removed
// when the process exits: tests leave nothing in $TMPDIR. Each helper gives a new folder of its own inside it, so
// tests running in parallel never meet. A test that writes much can remove its folder early with
// `defer { removeScratch(folder) }`; everything else goes at exit.

/// The folder of this process's scratch files, created on first use; its removal is registered with atexit.
private let scratchRoot: URL = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rivertrace-tests-\(getpid())")
    try? FileManager.default.removeItem(at: root)  // a folder left by an earlier process with this id
    try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    // Passable for the unprivileged user the permission tests run as (rivertraceUnprivileged).
    chmod(root.path, 0o755)
    scratchRootPath = root.path
    atexit { if let path = scratchRootPath { removeTree(path) } }
    return root
}()

/// The root's path for the exit handler (a C function pointer, which cannot capture).
nonisolated(unsafe) private var scratchRootPath: String?

/// Removes `path` and everything under it, making folders a test locked (chmod 000) passable first.
private func removeTree(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFDIR {
        chmod(path, 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            removeTree(path + "/" + name)
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// A new empty folder for this test's files, named `label`-<uuid> under the process's scratch folder.
public func scratchFolder(_ label: String) throws -> URL {
    let folder = scratchRoot.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// The path of a file named `name` in a new empty folder; the file itself is not created (a store, an output).
public func scratchPath(_ name: String, label: String = "scratch") throws -> String {
    try scratchFolder(label).appendingPathComponent(name).path
}

/// Writes `bytes` to a file named `name`, alone in a new folder, and returns its path.
public func scratchFile(_ bytes: [UInt8], name: String = "dump.csv") throws -> String {
    let path = try scratchPath(name, label: "file")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Writes `text` as UTF-8 to a file named `name`, alone in a new folder, and returns its path.
public func scratchFile(_ text: String, name: String = "dump.csv") throws -> String {
    try scratchFile(Array(text.utf8), name: name)
}

/// Removes a scratch folder (or file) now rather than at exit: for tests that write a lot.
public func removeScratch(_ url: URL) {
    removeTree(url.path)
}
