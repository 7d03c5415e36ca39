import Glibc
import SystemPackage

/// The files an ingest reads, found in the paths it was given, and every entry it passes over with the reason.
public struct DumpListing: Sendable, Equatable {
    /// Files to read, in the order they are read: given files as they are, each folder's files sorted by path.
    public var files: [String] = []
    /// Files in the folders whose names do not end in .csv, .tsv or .txt (not an error: a folder may hold other things).
    public var ignored: [String] = []
    /// Entries that could not be looked at (a dangling symbolic link, a folder without permission): a person must.
    public var unreadable: [PassedOver] = []
    /// Folders not searched again: a symbolic link to a folder already searched (a cycle, or two links to one folder).
    public var skippedFolders: [PassedOver] = []

    /// An entry passed over, and why.
    public struct PassedOver: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
    }
}

/// Finds readings dumps in files and folders.
///
/// Folders are searched recursively, following symbolic links to folders (each folder once: a link back up the
/// tree is listed in ``DumpListing/skippedFolders``, never followed round). Names beginning with a dot, and
/// names ending in `.part` or `.tmp`, are files still being delivered and are passed over without a word.
public enum DumpFinder {
    /// The extensions read as dumps.
    public static let extensions: Set<String> = ["csv", "tsv", "txt"]

    /// Lists `paths`.
    /// - Throws: ``PathError`` when a given path does not exist (a mistyped inbox is the operator's to fix at once).
    public static func list(_ paths: [String]) throws -> DumpListing {
        var listing = DumpListing()
        var searched: [FolderIdentity: String] = [:]
        for path in paths {
            guard let status = try? FilePath(path).stat() else {
                throw PathError(path: path, message: "no such file or folder")
            }
            guard status.type == .directory else {
                listing.files.append(path)
                continue
            }
            var found: [String] = []
            // Real folders first, links to folders after: a file is listed under its real folder's path.
            var links: [(FilePath, Stat)] = []
            search(FilePath(path), status: status, into: &listing, found: &found, searched: &searched, links: &links)
            while !links.isEmpty {
                let (link, target) = links.removeFirst()
                search(link, status: target, into: &listing, found: &found, searched: &searched, links: &links)
            }
            listing.files.append(contentsOf: found.sorted())
        }
        listing.ignored.sort()
        return listing
    }

    private struct FolderIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private static func search(_ folder: FilePath, status: Stat, into listing: inout DumpListing, found: inout [String],
                               searched: inout [FolderIdentity: String], links: inout [(FilePath, Stat)]) {
        let identity = FolderIdentity(device: UInt64(status.rawValue.st_dev), inode: UInt64(status.rawValue.st_ino))
        if let earlier = searched[identity] {
            listing.skippedFolders.append(.init(path: folder.string,
                                                reason: "a link to \(earlier), which is searched already"))
            return
        }
        searched[identity] = folder.string
        let names: [String]
        switch entries(of: folder) {
        case .success(let list): names = list
        case .failure(let errno):
            listing.unreadable.append(.init(path: folder.string, reason: "cannot list the folder: \(errno.description)"))
            return
        }
        for name in names.sorted() {
            if name.hasPrefix(".") || name.hasSuffix(".part") || name.hasSuffix(".tmp") { continue }
            let entry = folder.appending(name)
            let isDump = extensions.contains((FilePath(name).extension ?? "").lowercased())
            let target: Stat
            do {
                target = try entry.stat()
            } catch let errno {
                if let link = try? entry.stat(followTargetSymlink: false), link.type == .symbolicLink {
                    if isDump {
                        let destination = linkDestination(entry) ?? "?"
                        listing.unreadable.append(.init(path: entry.string,
                                                        reason: "a symbolic link to \(destination), which does not exist"))
                    } else {
                        listing.ignored.append(entry.string)
                    }
                } else {
                    listing.unreadable.append(.init(path: entry.string, reason: "cannot look at it: \(errno.description)"))
                }
                continue
            }
            if target.type == .directory {
                if let link = try? entry.stat(followTargetSymlink: false), link.type == .symbolicLink {
                    links.append((entry, target))
                } else {
                    search(entry, status: target, into: &listing, found: &found, searched: &searched, links: &links)
                }
            } else if isDump {
                // FIFOs and devices too: InputFile refuses them with their kind, so they are reported, not skipped.
                found.append(entry.string)
            } else {
                listing.ignored.append(entry.string)
            }
        }
    }

    /// The names in a folder, or why it cannot be listed.
    private static func entries(of folder: FilePath) -> Result<[String], Errno> {
        guard let directory = opendir(folder.string) else { return .failure(Errno(rawValue: errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return .failure(Errno(rawValue: errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }
}

/// Where a symbolic link points, as written in the link.
private func linkDestination(_ link: FilePath) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(link.string, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
